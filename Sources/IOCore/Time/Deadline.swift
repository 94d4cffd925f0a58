import Glibc

/// A point on the monotonic clock (CLOCK_MONOTONIC), in nanoseconds.
///
/// Timers and timeouts use the monotonic clock so wall-clock steps (NTP, manual changes) never fire or delay them.
/// Reading the clock is a vDSO call, not a syscall; everything else here is plain arithmetic, so tests can build
/// deadlines from fixed numbers.
public struct Deadline: Comparable, Hashable, Sendable {
    /// Nanoseconds since an unspecified monotonic epoch (boot on Linux).
    public var uptimeNanoseconds: UInt64

    /// Creates a deadline at the given monotonic instant.
    @inlinable
    public init(uptimeNanoseconds: UInt64) { self.uptimeNanoseconds = uptimeNanoseconds }

    /// The current monotonic instant.
    @inlinable
    public static func now() -> Deadline { Deadline(uptimeNanoseconds: MonotonicClock.nanoseconds()) }

    /// A deadline that never arrives.
    public static let distantFuture = Deadline(uptimeNanoseconds: .max)

    /// The instant `nanoseconds` after now.
    @inlinable
    public static func after(nanoseconds: Int64) -> Deadline { now().advanced(by: nanoseconds) }

    /// The instant `milliseconds` after now.
    @inlinable
    public static func after(milliseconds: Int64) -> Deadline { now().advanced(by: milliseconds * 1_000_000) }

    /// This instant moved by `nanoseconds` (saturating at 0 and `.max`).
    @inlinable
    public func advanced(by nanoseconds: Int64) -> Deadline {
        if nanoseconds >= 0 {
            let (sum, overflow) = uptimeNanoseconds.addingReportingOverflow(UInt64(nanoseconds))
            return Deadline(uptimeNanoseconds: overflow ? .max : sum)
        }
        let magnitude = nanoseconds.magnitude
        return Deadline(uptimeNanoseconds: uptimeNanoseconds > magnitude ? uptimeNanoseconds - magnitude : 0)
    }

    /// Nanoseconds from `now` until this deadline, or 0 if it has passed.
    @inlinable
    public func nanosecondsRemaining(from now: Deadline) -> UInt64 {
        uptimeNanoseconds > now.uptimeNanoseconds ? uptimeNanoseconds - now.uptimeNanoseconds : 0
    }

    /// Orders deadlines by instant.
    @inlinable
    public static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.uptimeNanoseconds < rhs.uptimeNanoseconds }
}

/// Reads CLOCK_MONOTONIC in nanoseconds.
public enum MonotonicClock {
    /// The current monotonic time in nanoseconds; the same clock timerfd and `Deadline` use.
    @inlinable
    public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
