import CSystemShims
import IOCore
import Synchronization

/// A fixed set of event loops, one per worker thread, handed out round-robin.
///
/// The default size is the number of CPUs in the process affinity mask (`sched_getaffinity`), not the machine's
/// CPU count, so `taskset` and container CPU sets are respected.
public final class EventLoopGroup: Sendable {
    /// The loops, in creation order.
    public let loops: [EventLoop]
    private let cursor = Atomic<Int>(0)

    /// Creates `count` loops with the given driver.
    public init(
        count: Int = EventLoopGroup.affinityCPUCount, driver: EventLoopDriver = .dispatchSource,
        busyPollNanoseconds: UInt64 = 0
    ) throws(IOError) {
        var loops: [EventLoop] = []
        for i in 0..<max(count, 1) {
            loops.append(try EventLoop(driver: driver, name: "tracegw.loop.\(i)", busyPollNanoseconds: busyPollNanoseconds))
        }
        self.loops = loops
    }

    /// CPUs this process may run on (at least 1).
    public static var affinityCPUCount: Int { max(Int(csys_affinity_cpu_count()), 1) }

    /// The next loop in round-robin order.
    public func next() -> EventLoop {
        loops[cursor.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count]
    }

    /// Shuts every loop down and waits for them (call off the loops).
    public func shutdown() {
        for loop in loops { loop.shutdown() }
    }
}
