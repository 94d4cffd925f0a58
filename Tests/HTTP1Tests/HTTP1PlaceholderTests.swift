import XCTest
@testable import HTTP1

final class HTTP1PlaceholderTests: XCTestCase {
    func test_module_links() { XCTAssertTrue(true) }
}
