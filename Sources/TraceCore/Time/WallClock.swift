import Glibc

/// Reads the real-time clock (`CLOCK_REALTIME`) in nanoseconds since the Unix epoch.
///
/// Span timestamps are wall-clock per the OTLP data model; durations come from `MonotonicClock`.
public enum WallClock {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    @inlinable
    public static func nowUnixNano() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
