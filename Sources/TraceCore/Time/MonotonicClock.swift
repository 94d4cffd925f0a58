import Glibc

/// Reads the monotonic clock (`CLOCK_MONOTONIC`) in nanoseconds since an arbitrary start.
///
/// Used for span durations and processor deadlines, which must not jump when the wall clock is stepped.
public enum MonotonicClock {
    /// Nanoseconds since an unspecified fixed point (boot).
    @inlinable
    public static func nowNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
