import XCTest
@testable import HTTP1

/// Serializer output, and round trips through the parsers.
final class HTTP1SerializerTests: XCTestCase {
    private func firstRequestHead(_ raw: [UInt8]) -> HTTP1RequestHead? {
        var parser = HTTP1RequestParser()
        guard let r = try? raw.withUnsafeBytes({ try parser.parse($0) }), case .head(let head) = r.event else { return nil }
        return head
    }

    func test_serializer_requestHead_roundTripsThroughParser() {
        let raw = "PATCH /items/7?x=1 HTTP/1.1\r\nHost: api.example:8443\r\nContent-Length: 3\r\nX-Trace: abc\r\n\r\n"
        guard let head = firstRequestHead(Array(raw.utf8)) else { return XCTFail() }
        var out: [UInt8] = []
        out.reserveCapacity(256)
        HTTP1Serializer.writeRequestHead(method: head.method, target: head.rawTarget, version: head.version, fields: head.fields, into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), raw)
        let again = parseRequest(out + Array("abc".utf8))
        XCTAssertEqual(again.first?.head, record(head))
        XCTAssertEqual(Array(again.dropFirst()), [.body("abc"), .end])
    }

    func test_serializer_otherMethod_writesToken() {
        var out: [UInt8] = []
        HTTP1Serializer.writeRequestLine(method: .other(ArraySlice("PURGE".utf8)), target: ArraySlice("/".utf8), version: .http1_0, into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "PURGE / HTTP/1.0\r\n")
    }

    func test_serializer_responseHeadWithChunkedBody_roundTripsThroughParser() {
        var fields = HTTP1Fields()
        fields.append(name: "Content-Type", value: "text/plain")
        fields.append(name: "Transfer-Encoding", value: "chunked")
        var trailers = HTTP1Fields()
        trailers.append(name: "grpc-status", value: "0")
        var out: [UInt8] = []
        HTTP1Serializer.writeResponseHead(status: 200, reason: ArraySlice("OK".utf8), fields: fields, into: &out)
        for piece in ["hello ", String(repeating: "x", count: 300)] {
            HTTP1Serializer.writeChunkHeader(size: piece.utf8.count, into: &out)
            out += Array(piece.utf8)
            HTTP1Serializer.writeChunkEnd(into: &out)
        }
        HTTP1Serializer.writeLastChunk(trailers: trailers, into: &out)
        let text = String(decoding: out, as: UTF8.self)
        XCTAssertTrue(text.contains("\r\n12c\r\nxxx"), "hex chunk size")
        let t = parseResponse(text)
        XCTAssertEqual(t[0].head?.fields, ["Content-Type: text/plain", "Transfer-Encoding: chunked"])
        XCTAssertEqual(Array(t.dropFirst()), [.body("hello " + String(repeating: "x", count: 300)), .trailers(["grpc-status: 0"]), .end])
    }

    func test_serializer_contentLength_writesEveryDigitCount() {
        var lengths = [0, 7, 9, 10, 99, 100, 12_345, Int.max]
        var power = 1
        for _ in 1...18 {
            power *= 10
            lengths += [power - 1, power, power + 1]
        }
        for length in lengths {
            var out: [UInt8] = []
            HTTP1Serializer.writeContentLength(length, into: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), "Content-Length: \(length)\r\n")
        }
    }

    func test_serializer_statusLine_threeDigitAndOtherStatuses() {
        for status in [100, 101, 200, 204, 404, 599, 999, 0, 42, 1000] {
            var out: [UInt8] = []
            HTTP1Serializer.writeStatusLine(status: status, reason: ArraySlice("Why".utf8), version: .http1_0, into: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), "HTTP/1.0 \(status) Why\r\n")
        }
        var out: [UInt8] = []
        HTTP1Serializer.writeStatusLine(status: 204, reason: ArraySlice(), into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "HTTP/1.1 204 \r\n")
    }

    func test_serializer_fieldLines_fromEverySource() {
        var fields = HTTP1Fields()
        fields.append(name: "X-Empty", value: "")
        fields.append(name: "Accept", value: "*/*")
        var out: [UInt8] = []
        HTTP1Serializer.writeField(fields, at: 0, into: &out)
        HTTP1Serializer.writeField(fields, at: 1, into: &out)
        HTTP1Serializer.writeField(name: ArraySlice("A".utf8), value: ArraySlice("b c".utf8), into: &out)
        "v1".utf8.withContiguousStorageIfAvailable {
            HTTP1Serializer.writeField(name: "traceparent", value: UnsafeRawBufferPointer($0), into: &out)
        }
        HTTP1Serializer.writeField(name: "empty", value: UnsafeRawBufferPointer(start: nil, count: 0), into: &out)
        XCTAssertEqual(
            String(decoding: out, as: UTF8.self),
            "X-Empty: \r\nAccept: */*\r\nA: b c\r\ntraceparent: v1\r\nempty: \r\n")
    }

    func test_serializer_requestLine_withEmptyAndLongTargets() {
        for target in ["*", "/", "/" + String(repeating: "p", count: 5000)] {
            var out: [UInt8] = []
            HTTP1Serializer.writeRequestLine(method: .get, target: ArraySlice(target.utf8), into: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), "GET \(target) HTTP/1.1\r\n")
        }
    }

    func test_serializer_lastChunkWithoutTrailers_isZeroCRLFCRLF() {
        var out: [UInt8] = []
        HTTP1Serializer.writeLastChunk(into: &out)
        XCTAssertEqual(out, Array("0\r\n\r\n".utf8))
    }

    func test_serializer_100Continue_isStatusLineAndEmptyLine() {
        var out: [UInt8] = []
        HTTP1Serializer.write100Continue(into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "HTTP/1.1 100 Continue\r\n\r\n")
        XCTAssertEqual(parseResponse(String(decoding: out, as: UTF8.self)).first?.head?.startLine, "HTTP/1.1 100 Continue")
    }

    func test_serializer_errorResponses_closeWithEmptyBody() {
        for status in [400, 413, 414, 431, 501, 505, 502] {
            var out: [UInt8] = []
            HTTP1Serializer.writeErrorResponse(status: status, into: &out)
            let t = parseResponse(String(decoding: out, as: UTF8.self))
            XCTAssertEqual(t.first?.head?.framing, .contentLength(0), "\(status)")
            XCTAssertEqual(t.first?.head?.keepAlive, false, "\(status)")
            XCTAssertTrue(t.first?.head?.startLine.hasPrefix("HTTP/1.1 \(status) ") == true)
            XCTAssertEqual(t.last, .end)
        }
        var out: [UInt8] = []
        HTTP1Serializer.writeErrorResponse(for: HTTP1ParseError(.tooManyFields), into: &out)
        XCTAssertEqual(
            String(decoding: out, as: UTF8.self),
            "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    }

    func test_serializer_forwardingWithoutHopByHop_dropsConnectionFields() {
        let raw = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close, X-Secret\r\nX-Secret: 1\r\nKeep-Alive: 5\r\nTE: trailers\r\nAccept: */*\r\n\r\n"
        guard let head = firstRequestHead(Array(raw.utf8)) else { return XCTFail() }
        let hop = HopByHopFields(head.fields)
        var out: [UInt8] = []
        HTTP1Serializer.writeRequestLine(method: head.method, target: head.rawTarget, into: &out)
        HTTP1Serializer.writeFields(head.fields, skipping: hop.contains, into: &out)
        HTTP1Serializer.writeContentLength(0, into: &out)
        HTTP1Serializer.writeHeadEnd(into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nContent-Length: 0\r\n\r\n")
    }

    func test_serializer_fixedNameFields_writeNameColonValue() {
        var out: [UInt8] = []
        let value = Array("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".utf8)
        value.withUnsafeBytes { HTTP1Serializer.writeField(name: "traceparent", value: $0, into: &out) }
        HTTP1Serializer.writeChunkedTransferEncoding(into: &out)
        XCTAssertEqual(
            String(decoding: out, as: UTF8.self),
            "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\nTransfer-Encoding: chunked\r\n")
    }
}
