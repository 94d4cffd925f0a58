import HTTP1
import IOCore
import XCTest

@testable import Gateway

/// The fields a forwarded request gets, for a first hop (one reservation) and behind other proxies.
final class ForwardedFieldsTests: XCTestCase {
    private func written(_ incoming: [(String, String)], host: String?, scheme: StaticString = "http") -> String {
        var fields = HTTP1Fields()
        for (name, value) in incoming { fields.append(name: name, value: value) }
        var buffer = ByteBuffer(capacity: 8)
        buffer.writeString("GET / HTTP/1.1\r\n")
        ForwardedFields.write(
            into: &buffer, fields: fields, clientAddress: Array("192.0.2.7".utf8), host: host.map { ArraySlice($0.utf8) },
            scheme: scheme)
        return buffer.withUnsafeReadableBytes { String(decoding: $0, as: UTF8.self) }
    }

    func test_forwardedFields_firstHop_writesAllFourFields() {
        XCTAssertEqual(
            written([("Accept", "*/*")], host: "app.example:8080", scheme: "https"),
            "GET / HTTP/1.1\r\nX-Forwarded-For: 192.0.2.7\r\nX-Forwarded-Proto: https\r\n"
                + "X-Forwarded-Host: app.example:8080\r\nVia: 1.1 tracegw\r\n")
    }

    func test_forwardedFields_firstHopWithoutHost_omitsForwardedHost() {
        XCTAssertEqual(
            written([], host: nil),
            "GET / HTTP/1.1\r\nX-Forwarded-For: 192.0.2.7\r\nX-Forwarded-Proto: http\r\nVia: 1.1 tracegw\r\n")
    }

    func test_forwardedFields_behindProxies_appendsToTheirValues() {
        XCTAssertEqual(
            written([("X-Forwarded-For", "203.0.113.9"), ("via", "1.0 edge"), ("X-Forwarded-For", "10.0.0.1")], host: "a"),
            "GET / HTTP/1.1\r\nX-Forwarded-For: 203.0.113.9, 10.0.0.1, 192.0.2.7\r\nX-Forwarded-Proto: http\r\n"
                + "X-Forwarded-Host: a\r\nVia: 1.0 edge, 1.1 tracegw\r\n")
        XCTAssertEqual(
            written([("Via", "1.0 edge")], host: nil),
            "GET / HTTP/1.1\r\nX-Forwarded-For: 192.0.2.7\r\nX-Forwarded-Proto: http\r\nVia: 1.0 edge, 1.1 tracegw\r\n")
    }
}
