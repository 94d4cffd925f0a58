@testable import NetIO
import XCTest

final class SocketAddressTests: XCTestCase {
    func test_socketAddress_parseIPv4_roundTripsDescription() throws {
        let address = try SocketAddress(parsing: "127.0.0.1:8080")
        XCTAssertEqual(address.family, .ipv4)
        XCTAssertEqual(address.port, 8080)
        XCTAssertEqual(address.addressBytes, [127, 0, 0, 1])
        XCTAssertEqual(address.description, "127.0.0.1:8080")
    }

    func test_socketAddress_parseBracketedIPv6_roundTripsDescription() throws {
        let address = try SocketAddress(parsing: "[::1]:443")
        XCTAssertEqual(address.family, .ipv6)
        XCTAssertEqual(address.port, 443)
        XCTAssertEqual(address.addressBytes, [UInt8](repeating: 0, count: 15) + [1])
        XCTAssertEqual(address.description, "[::1]:443")
    }

    func test_socketAddress_invalidInput_throwsNamedError() {
        XCTAssertThrowsError(try SocketAddress(parsing: "localhost:80")) {
            XCTAssertEqual($0 as? SocketAddressError, .invalidAddress("localhost"))
        }
        XCTAssertThrowsError(try SocketAddress(parsing: "127.0.0.1:99999")) {
            XCTAssertEqual($0 as? SocketAddressError, .invalidPort("127.0.0.1:99999"))
        }
        XCTAssertThrowsError(try SocketAddress(parsing: "[::1]80"))
        XCTAssertThrowsError(try SocketAddress(parsing: "127.0.0.1"))
    }

    func test_socketAddress_resolveLocalhost_returnsLoopback() throws {
        let addresses = try SocketAddress.resolve(host: "127.0.0.1", port: 80)
        XCTAssertEqual(addresses.first, .loopbackIPv4(port: 80))
    }
}
