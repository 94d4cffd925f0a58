import XCTest
@testable import NetIO

final class NetIOPlaceholderTests: XCTestCase {
    func test_module_links() { XCTAssertTrue(true) }
}
