import XCTest
@testable import TraceGatewayCLI

final class TraceGatewayCLIPlaceholderTests: XCTestCase {
    func test_module_links() { XCTAssertTrue(true) }
}
