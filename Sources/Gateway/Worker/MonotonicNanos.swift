import IOCore

/// The monotonic clock in nanoseconds, for deadlines and span durations.
enum MonotonicNanos {
    /// Now.
    @inline(__always)
    static func now() -> UInt64 { MonotonicClock.nanoseconds() }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (s, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : s &+ UInt64(attoseconds / 1_000_000_000)
    }
}
