import XCTest
@testable import TraceCore

final class TraceCorePlaceholderTests: XCTestCase {
    func test_module_links() { XCTAssertTrue(true) }
}
