import XCTest

@testable import Gateway

final class HTTPSpanAttributesTests: XCTestCase {
    private func split(_ authority: String) -> (String, Int?) {
        let (host, port) = HTTPSpanAttributes.splitAuthority(ArraySlice(Array(authority.utf8)))
        return (String(decoding: host, as: UTF8.self), port)
    }

    func test_splitAuthority_hostAndPortForms() {
        XCTAssertTrue(split("api.local:8080") == ("api.local", 8080))
        XCTAssertTrue(split("api.local") == ("api.local", nil))
        XCTAssertTrue(split("[::1]:9000") == ("::1", 9000))
        XCTAssertTrue(split("[::1]") == ("::1", nil))
        XCTAssertTrue(split("h:") == ("h", nil), "an empty port is no port")
        XCTAssertTrue(split("h:99999999") == ("h", nil), "more than five digits is no port")
        XCTAssertTrue(split("h:8x") == ("h", nil), "non-digits are no port")
    }
}
