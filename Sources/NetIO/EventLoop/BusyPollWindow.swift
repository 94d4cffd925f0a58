/// How long a drained event loop keeps polling for events before it blocks: HAProxy's `busy-polling`, bounded and
/// adaptive (the rule of Linux's guest halt-polling: grow on a short wait, shrink on a wasted poll).
///
/// Blocking in `epoll_wait` lets the core idle; the next event must then wake the loop's thread, which costs its
/// sender a wake-up (an inter-processor interrupt, and on a virtual machine an exit to the hypervisor) and costs the
/// loop the way back from idle. A loop that polls for a few microseconds first takes the next event while still
/// running. The window is `current`: it doubles (from `minimumNanoseconds`, up to `maximumNanoseconds`) after a
/// poll that found events and after a blocking wait that ended within the maximum (events come that close together),
/// and halves after a poll that found nothing, to zero below the minimum. So an idle or lightly loaded loop soon
/// stops polling, and one whose events keep arriving within the window polls instead of sleeping.
public struct BusyPollWindow: Sendable {
    /// The longest poll, in nanoseconds (0: busy polling off).
    public let maximumNanoseconds: UInt64
    /// The next poll's length in nanoseconds (0: block at once).
    public private(set) var currentNanoseconds: UInt64

    /// The shortest poll once the window grows again.
    public static var minimumNanoseconds: UInt64 { 1_000 }

    /// A window polling up to `maximumNanoseconds` (0 turns busy polling off), starting at the maximum.
    public init(maximumNanoseconds: UInt64) {
        self.maximumNanoseconds = maximumNanoseconds
        currentNanoseconds = maximumNanoseconds
    }

    /// Whether busy polling is on at all.
    @inline(__always)
    public var isEnabled: Bool { maximumNanoseconds > 0 }

    /// Records a poll of `currentNanoseconds`: it found events (grow) or ran out (shrink).
    public mutating func pollEnded(foundEvents: Bool) {
        if foundEvents { grow() } else { shrink() }
    }

    /// Records a blocking wait that lasted `nanoseconds` and returned `foundEvents`: events that came within the
    /// maximum would have been caught by a poll, so the window grows; a longer wait leaves it as it is.
    public mutating func blockingWaitEnded(afterNanoseconds nanoseconds: UInt64, foundEvents: Bool) {
        if foundEvents && nanoseconds <= maximumNanoseconds { grow() }
    }

    private mutating func grow() {
        guard isEnabled else { return }
        currentNanoseconds = min(maximumNanoseconds, max(currentNanoseconds &* 2, Self.minimumNanoseconds))
    }

    private mutating func shrink() {
        currentNanoseconds /= 2
        if currentNanoseconds < Self.minimumNanoseconds { currentNanoseconds = 0 }
    }
}
