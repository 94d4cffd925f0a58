/// Identifies a timer scheduled on an `EventLoop`, for cancellation.
public struct TimerHandle: Hashable, Sendable {
    /// Unique (per loop) sequence number of the timer.
    public let id: UInt64
}
