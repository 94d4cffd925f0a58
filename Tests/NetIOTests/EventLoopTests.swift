import Dispatch
import IOCore
@testable import NetIO
import XCTest

final class EventLoopTests: XCTestCase {
    func test_eventLoop_executeFromManyThreads_runsEveryTaskOnLoop() throws {
        try withEachDriver { loop, driver in
            let threads = 8
            let perThread = 500
            let count = Locked(0)
            let offLoop = Locked(0)
            let done = Signal()
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                for _ in 0..<perThread {
                    loop.execute {
                        if !loop.inEventLoop { offLoop.withValue { $0 += 1 } }
                        let n = count.withValue { $0 += 1; return $0 }
                        if n == threads * perThread { done.fire() }
                    }
                }
            }
            XCTAssertTrue(done.wait(), "\(driver)")
            XCTAssertEqual(count.value, threads * perThread, "\(driver)")
            XCTAssertEqual(offLoop.value, 0, "\(driver)")
            XCTAssertFalse(loop.inEventLoop)
        }
    }

    func test_passTime_isOneReadingPerPass_andFollowsTheClock() throws {
        try withEachDriver { loop, driver in
            let readings = Locked<[UInt64]>([])
            let done = Signal()
            let before = MonotonicClock.nanoseconds()
            loop.execute {
                let first = loop.passTimeNanoseconds
                usleep(2_000)
                readings.withValue { $0 += [first, loop.passTimeNanoseconds] }
                loop.scheduleTimer(afterNanoseconds: 5_000_000) {
                    readings.withValue { $0.append(loop.passTimeNanoseconds) }
                    done.fire()
                }
            }
            XCTAssertTrue(done.wait(), "\(driver)")
            let values = readings.value
            XCTAssertEqual(values.count, 3, "\(driver)")
            XCTAssertEqual(values[0], values[1], "one reading shared within a pass (\(driver))")
            XCTAssertGreaterThanOrEqual(values[0], before, "\(driver)")
            XCTAssertGreaterThanOrEqual(values[2], values[0] + 5_000_000, "a later pass reads the clock again (\(driver))")
        }
    }

    func test_passEndObservers_runAfterEveryPass() throws {
        try withEachDriver { loop, driver in
            let passes = Locked(0)
            let ran = Locked(false)
            let done = Signal()
            loop.execute {
                loop.addPassEndObserver { passes.withValue { $0 += 1 } }
                loop.execute {
                    ran.withValue { $0 = true }
                    loop.execute { done.fire() }
                }
            }
            XCTAssertTrue(done.wait(), "\(driver)")
            let doneAt = Signal()
            loop.execute { doneAt.fire() }
            XCTAssertTrue(doneAt.wait())
            XCTAssertTrue(ran.value)
            XCTAssertGreaterThanOrEqual(passes.value, 2, "the observer ran at the end of each later pass (\(driver))")
        }
    }

    func test_eventLoop_executeFromOneThread_preservesOrder() throws {
        try withEachDriver { loop, driver in
            let order = Locked<[Int]>([])
            let done = Signal()
            for i in 0..<1000 {
                loop.execute {
                    order.withValue { $0.append(i) }
                    if i == 999 { done.fire() }
                }
            }
            XCTAssertTrue(done.wait())
            XCTAssertEqual(order.value, Array(0..<1000), "\(driver)")
        }
    }

    func test_timers_scheduledOutOfOrder_fireInDeadlineOrder() throws {
        try withEachDriver { loop, driver in
            let fired = Locked<[Int]>([])
            let done = Signal()
            try onLoop(loop) {
                let base = Deadline.now()
                for (label, ms) in [(3, 30), (1, 10), (2, 20), (4, 40)] {
                    loop.scheduleTimer(at: base.advanced(by: Int64(ms) * 1_000_000)) {
                        let count = fired.withValue { $0.append(label); return $0.count }
                        if count == 4 { done.fire() }
                    }
                }
            }
            XCTAssertTrue(done.wait())
            XCTAssertEqual(fired.value, [1, 2, 3, 4], "\(driver)")
        }
    }

    func test_timers_cancelled_neverFire() throws {
        try withEachDriver { loop, driver in
            let fired = Locked<[String]>([])
            let done = Signal()
            try onLoop(loop) {
                let cancelled = loop.scheduleTimer(afterNanoseconds: 5_000_000) { fired.withValue { $0.append("cancelled") } }
                loop.scheduleTimer(afterNanoseconds: 20_000_000) {
                    fired.withValue { $0.append("kept") }
                    done.fire()
                }
                XCTAssertTrue(loop.cancelTimer(cancelled))
                XCTAssertFalse(loop.cancelTimer(cancelled))
            }
            XCTAssertTrue(done.wait())
            XCTAssertEqual(fired.value, ["kept"], "\(driver)")
            XCTAssertEqual(try onLoop(loop) { loop.pendingTimerCount }, 0)
        }
    }

    func test_timers_manyCancelled_heapStaysBounded() throws {
        try withEachDriver { loop, _ in
            let count = try onLoop(loop) { () -> Int in
                for _ in 0..<10_000 {
                    let handle = loop.scheduleTimer(afterNanoseconds: 60_000_000_000) {}
                    loop.cancelTimer(handle)
                }
                return loop.pendingTimerCount
            }
            XCTAssertEqual(count, 0)
        }
    }

    func test_timerHeap_sameDeadline_firesInInsertionOrder() {
        var heap = TimerHeap()
        var order: [Int] = []
        for i in 0..<5 { _ = heap.insert(deadline: 100) { order.append(i) } }
        _ = heap.insert(deadline: 50) { order.append(-1) }
        XCTAssertEqual(heap.earliestDeadline(), 50)
        XCTAssertNil(heap.popDue(now: 49))
        while let body = heap.popDue(now: 100) { body() }
        XCTAssertEqual(order, [-1, 0, 1, 2, 3, 4])
    }

    func test_eventLoopGroup_defaultCount_matchesAffinityAndRoundRobins() throws {
        XCTAssertGreaterThanOrEqual(EventLoopGroup.affinityCPUCount, 1)
        let group = try EventLoopGroup(count: 2, driver: .blockingThread)
        defer { group.shutdown() }
        let a = group.next()
        let b = group.next()
        XCTAssertFalse(a === b)
        XCTAssertTrue(group.next() === a)
    }

    func test_eventLoop_shutdown_closesRegisteredConnections() throws {
        for driver in EventLoopDriver.allCases {
            let loop = try EventLoop(driver: driver)
            let port = try startEchoServer(on: loop)
            let closed = Locked<IOError??>(nil)
            let done = Signal()
            try onLoop(loop) {
                _ = TCPConnection.connect(
                    to: .loopbackIPv4(port: port), on: loop,
                    handler: CollectingHandler(payload: [], expected: .max, received: Locked([]), closed: closed,
                                               done: done))
            }
            loop.shutdown()
            XCTAssertTrue(done.wait(seconds: 1), "\(driver)")
            loop.execute { XCTFail("ran after shutdown") }
        }
    }

    func test_eventLoop_staleRegistration_isIgnoredAfterDeregister() throws {
        try withEachDriver { loop, _ in
            let count = try onLoop(loop) { () -> Int in
                final class Probe: EventHandler {
                    func handleEvents(_ events: IOEvents) { XCTFail("stale event delivered") }
                    func eventLoopWillShutDown() {}
                }
                let fd = csys_test_eventfd()
                let registration = try loop.register(fd: fd, events: .readable, handler: Probe())
                loop.deregister(registration)
                loop.deliverAgain(.readable, to: registration)
                close(fd)
                return loop.registeredCount
            }
            XCTAssertEqual(count, 0)
            _ = try onLoop(loop) { 0 }  // let the redelivery pass run
        }
    }

    /// The Dispatch driver keeps its thread in `epoll_wait` for `idleLingerMilliseconds` after draining, then hands
    /// it back to Dispatch: events and timers arriving after that idle time must still wake the loop.
    func test_dispatchDriver_afterIdleLongerThanLinger_stillWakesForTasksAndTimers() throws {
        for linger: Int32 in [0, 1, 5] {
            let loop = try EventLoop(driver: .dispatchSource, name: "test.linger", idleLingerMilliseconds: linger)
            defer { loop.shutdown() }
            XCTAssertEqual(loop.idleLingerMilliseconds, linger)
            for _ in 0..<3 {
                let ran = Signal()
                loop.execute { ran.fire() }
                XCTAssertTrue(ran.wait(), "task after idle (linger \(linger) ms)")
                usleep(20_000)  // longer than the linger: the thread went back to Dispatch
            }
            let timer = timerReadings(on: loop, afterNanoseconds: 30_000_000)
            XCTAssertNotNil(timer, "timer after idle (linger \(linger) ms)")
            if let timer { XCTAssertGreaterThanOrEqual(timer.fired, timer.scheduled + 30_000_000) }
        }
    }
}

import CSystemShims
import Glibc

private func csys_test_eventfd() -> Int32 { csys_eventfd(0) }
