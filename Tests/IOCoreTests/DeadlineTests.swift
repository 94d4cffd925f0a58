import IOCore
import XCTest

final class DeadlineTests: XCTestCase {
    func test_deadline_advanced_saturatesAtBounds() {
        let near = Deadline(uptimeNanoseconds: 10)
        XCTAssertEqual(near.advanced(by: -100).uptimeNanoseconds, 0)
        XCTAssertEqual(Deadline(uptimeNanoseconds: .max - 1).advanced(by: 10), .distantFuture)
        XCTAssertEqual(near.advanced(by: 5).uptimeNanoseconds, 15)
    }

    func test_deadline_remaining_isZeroWhenPassed() {
        let deadline = Deadline(uptimeNanoseconds: 100)
        XCTAssertEqual(deadline.nanosecondsRemaining(from: Deadline(uptimeNanoseconds: 40)), 60)
        XCTAssertEqual(deadline.nanosecondsRemaining(from: Deadline(uptimeNanoseconds: 400)), 0)
    }

    func test_deadline_now_isMonotonic() {
        let a = Deadline.now()
        let b = Deadline.now()
        XCTAssertLessThanOrEqual(a, b)
        XCTAssertLessThan(a, Deadline.after(milliseconds: 1))
    }

    func test_ioError_description_namesOperationAndErrno() {
        XCTAssertEqual(IOError(.connect, errno: 111).description, "connect failed: errno 111")
    }
}
