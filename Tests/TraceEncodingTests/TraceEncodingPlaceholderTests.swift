import XCTest
@testable import TraceEncoding

final class TraceEncodingPlaceholderTests: XCTestCase {
    func test_module_links() { XCTAssertTrue(true) }
}
