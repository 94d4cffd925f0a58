import XCTest
@testable import IOCore

final class IOCorePlaceholderTests: XCTestCase {
    func test_module_links() { XCTAssertTrue(true) }
}
