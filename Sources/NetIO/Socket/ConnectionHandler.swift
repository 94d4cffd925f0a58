import IOCore

/// The protocol logic on top of a `TCPConnection`: it receives bytes and lifecycle events and writes back.
///
/// Calls arrive on the connection's loop only, so implementations need no locks. The connection is generic over
/// its handler, so every call is statically dispatched (no existential on the per-byte path). Implementations must
/// be `final` classes. The connection holds its handler strongly until `didClose`, which breaks the cycle if the
/// handler keeps the connection.
public protocol ConnectionHandler: AnyObject {
    /// An outbound connection finished its handshake; queued writes are flushed right after this returns.
    func connectionDidConnect(_ connection: TCPConnection<Self>)

    /// Bytes arrived. `bytes` points into the loop's shared read buffer and is valid only during this call:
    /// parse it in place or copy what must outlive the call.
    func connection(_ connection: TCPConnection<Self>, didRead bytes: UnsafeRawBufferPointer)

    /// The peer shut down its sending side (read returned 0). The default closes once pending writes are flushed.
    func connectionDidReadEOF(_ connection: TCPConnection<Self>)

    /// Pending writes crossed the high watermark (`false`: pause reading the other side) or drained below the
    /// low watermark (`true`: resume). The default does nothing.
    func connection(_ connection: TCPConnection<Self>, writabilityChanged isWritable: Bool)

    /// The connection closed; `error` is nil for an orderly close. Called exactly once, after which the
    /// connection releases the handler.
    func connection(_ connection: TCPConnection<Self>, didCloseWith error: IOError?)
}

extension ConnectionHandler {
    /// Default: nothing to do (inbound connections never call this).
    public func connectionDidConnect(_ connection: TCPConnection<Self>) {}

    /// Default: close after flushing what is queued.
    public func connectionDidReadEOF(_ connection: TCPConnection<Self>) {
        connection.close(afterFlushing: true)
    }

    /// Default: ignore backpressure signals.
    public func connection(_ connection: TCPConnection<Self>, writabilityChanged isWritable: Bool) {}
}
