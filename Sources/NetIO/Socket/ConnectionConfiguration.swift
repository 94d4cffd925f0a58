/// Per-connection I/O limits: read fairness, write batching and backpressure watermarks.
///
/// One value per listener or backend pool; the gateway maps its configuration keys onto these fields.
public struct ConnectionConfiguration: Sendable, Hashable {
    /// Most `read(2)` calls per wake-up before yielding to other connections (default 4).
    public var maximumReadsPerWake: Int = 4
    /// Most iovecs in one `writev` (default 64, capped by the loop's scratch array).
    public var maximumIOVecsPerWrite: Int = 64
    /// Pending-write bytes above which the handler is told to stop feeding this connection (default 256 KiB).
    public var highWatermark: Int = 256 * 1024
    /// Pending-write bytes at or below which the handler is told it may feed again (default 64 KiB).
    public var lowWatermark: Int = 64 * 1024
    /// Set TCP_NODELAY (default true: we write whole messages, Nagle only adds latency).
    public var noDelay: Bool = true

    /// The defaults above.
    public init() {}
}
