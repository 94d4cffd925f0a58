import Dispatch
import IOCore
@testable import NetIO
import XCTest

final class BusyPollWindowTests: XCTestCase {
    func test_window_startsAtMaximum_andHalvesToZeroAfterPollsThatFoundNothing() {
        var window = BusyPollWindow(maximumNanoseconds: 32_000)
        XCTAssertTrue(window.isEnabled)
        XCTAssertEqual(window.currentNanoseconds, 32_000)
        var seen: [UInt64] = []
        for _ in 0..<7 {
            window.pollEnded(foundEvents: false)
            seen.append(window.currentNanoseconds)
        }
        // 1 µs is the minimum: half of it is no poll at all.
        XCTAssertEqual(seen, [16_000, 8_000, 4_000, 2_000, 1_000, 0, 0])
    }

    func test_window_growsFromTheMinimum_afterAShortBlockingWait_upToTheMaximum() {
        var window = BusyPollWindow(maximumNanoseconds: 5_000)
        for _ in 0..<5 { window.pollEnded(foundEvents: false) }
        XCTAssertEqual(window.currentNanoseconds, 0)
        // Events 3 µs after blocking would have been caught by a poll: grow.
        window.blockingWaitEnded(afterNanoseconds: 3_000, foundEvents: true)
        XCTAssertEqual(window.currentNanoseconds, BusyPollWindow.minimumNanoseconds)
        window.pollEnded(foundEvents: true)
        XCTAssertEqual(window.currentNanoseconds, 2_000)
        window.blockingWaitEnded(afterNanoseconds: 5_000, foundEvents: true)
        XCTAssertEqual(window.currentNanoseconds, 4_000)
        window.pollEnded(foundEvents: true)
        XCTAssertEqual(window.currentNanoseconds, 5_000, "capped at the maximum")
        window.pollEnded(foundEvents: true)
        XCTAssertEqual(window.currentNanoseconds, 5_000)
    }

    func test_window_staysPut_afterALongWaitOrOneThatTimedOut() {
        var window = BusyPollWindow(maximumNanoseconds: 10_000)
        window.pollEnded(foundEvents: false)
        XCTAssertEqual(window.currentNanoseconds, 5_000)
        window.blockingWaitEnded(afterNanoseconds: 10_001, foundEvents: true)  // an idle gap: polling would have wasted it
        XCTAssertEqual(window.currentNanoseconds, 5_000)
        window.blockingWaitEnded(afterNanoseconds: 2_000, foundEvents: false)  // a timeout, no events
        XCTAssertEqual(window.currentNanoseconds, 5_000)
    }

    func test_window_off_neverPolls() {
        var window = BusyPollWindow(maximumNanoseconds: 0)
        XCTAssertFalse(window.isEnabled)
        window.pollEnded(foundEvents: true)
        window.blockingWaitEnded(afterNanoseconds: 0, foundEvents: true)
        XCTAssertEqual(window.currentNanoseconds, 0)
    }

    /// With busy polling on, both drivers still deliver socket events, cross-thread tasks and timers, and an idle loop
    /// stops polling by itself (the window shrank while nothing came).
    func test_eventLoop_withBusyPolling_deliversEverything_andShrinksWhenIdle() throws {
        for driver in EventLoopDriver.allCases {
            let maximum: UInt64 = 200_000
            let loop = try EventLoop(driver: driver, name: "test.busy-poll.\(driver)", busyPollNanoseconds: maximum)
            defer { loop.shutdown() }
            let port = try startEchoServer(on: loop)
            for round in 0..<20 {
                let message = ByteBuffer(string: "busy poll round \(round) " + String(repeating: "x", count: round * 100))
                let echo = try echoRoundTrip(on: loop, port: port, message)
                XCTAssertNotNil(echo, "\(driver) round \(round)")
                XCTAssertEqual(ByteBuffer(bytes: echo?.received ?? []), message, "\(driver) round \(round)")
            }
            let timer = timerReadings(on: loop, afterNanoseconds: 20_000_000)
            XCTAssertNotNil(timer, "\(driver)")
            if let timer { XCTAssertGreaterThanOrEqual(timer.fired, timer.scheduled + 20_000_000, "\(driver)") }
            usleep(50_000)  // idle: the polls before blocking find nothing
            let window = try onLoop(loop) { loop.busyPollCurrentNanoseconds }
            XCTAssertLessThan(window, maximum, "an idle loop polls less (\(driver))")
        }
    }
}
