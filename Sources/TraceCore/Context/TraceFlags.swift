/// The `trace-flags` byte of a span context.
///
/// W3C Trace Context §3.2.2.5 defines `sampled` (bit 0); Trace Context Level 2 adds `random` (bit 1), which says the
/// rightmost 7 bytes of the trace id are random. Other bits are reserved and are not propagated by us.
public struct TraceFlags: OptionSet, Hashable, Sendable {
    /// The flag byte.
    public var rawValue: UInt8

    /// Creates flags from the raw byte.
    @inlinable
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The caller may have recorded this trace (W3C Trace Context §3.2.2.5.1).
    public static let sampled = TraceFlags(rawValue: 0x01)
    /// The trace id's rightmost 7 bytes are random (W3C Trace Context Level 2 §3.2.2.5.2).
    public static let random = TraceFlags(rawValue: 0x02)

    /// The flags this implementation knows and writes on output (`sampled | random`).
    public static let known: TraceFlags = [.sampled, .random]
}
