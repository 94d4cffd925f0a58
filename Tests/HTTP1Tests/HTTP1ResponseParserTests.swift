import XCTest
@testable import HTTP1

/// Backend response framing per RFC 9112 §6.3; every case also runs byte by byte.
final class HTTP1ResponseParserTests: XCTestCase {
    func test_responseParser_contentLength_reportsBodyThenEnd() {
        let t = parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhello")
        XCTAssertEqual(t[0].head?.startLine, "HTTP/1.1 200 OK")
        XCTAssertEqual(t[0].head?.fields, ["Content-Length: 5", "Server: x"])
        XCTAssertEqual(t[0].head?.framing, .contentLength(5))
        XCTAssertEqual(t[0].head?.keepAlive, true)
        XCTAssertEqual(Array(t.dropFirst()), [.body("hello"), .end])
    }

    func test_responseParser_headRequest_hasNoBody() {
        let t = parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", method: .head)
        XCTAssertEqual(t[0].head?.framing, HTTP1BodyFraming.none)
        XCTAssertEqual(t[1], .end)
        XCTAssertEqual(t[2].head?.startLine, "HTTP/1.1 204 No Content")
    }

    func test_responseParser_headRequestWithChunked_hasNoBody() {
        let t = parseResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", method: .head)
        XCTAssertEqual(t[0].head?.framing, HTTP1BodyFraming.none)
        XCTAssertEqual(t[1], .end)
    }

    func test_responseParser_204_hasNoBody() {
        let t = parseResponse("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n")
        XCTAssertEqual(t[0].head?.framing, HTTP1BodyFraming.none)
        XCTAssertEqual(t[1], .end)
    }

    func test_responseParser_304_hasNoBody() {
        let t = parseResponse("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\nETag: \"x\"\r\n\r\n")
        XCTAssertEqual(t[0].head?.framing, HTTP1BodyFraming.none)
        XCTAssertEqual(t[1], .end)
    }

    func test_responseParser_interim100And103_precedeFinal() {
        let t = parseResponse(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        guard t.count == 5, case .interim(let first) = t[0], case .interim(let second) = t[1] else {
            return XCTFail("\(t)")
        }
        XCTAssertEqual(first.startLine, "HTTP/1.1 100 Continue")
        XCTAssertEqual(second.fields, ["Link: </s.css>; rel=preload"])
        XCTAssertEqual(t[2].head?.startLine, "HTTP/1.1 200 OK")
        XCTAssertEqual(Array(t.suffix(2)), [.body("ok"), .end])
    }

    func test_responseParser_101_handsRestToTunnel() {
        let t = parseResponse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u{81}\u{05}hello")
        guard case .upgrade(let head) = t[0] else { return XCTFail("\(t)") }
        XCTAssertEqual(head.startLine, "HTTP/1.1 101 Switching Protocols")
        XCTAssertEqual(t[1], .body("\u{81}\u{05}hello"))
    }

    func test_responseParser_parseAfterUpgrade_throws() throws {
        var parser = HTTP1ResponseParser()
        let raw = Array("HTTP/1.1 101 Switching Protocols\r\n\r\nxyz".utf8)
        try raw.withUnsafeBytes { input in
            guard let r = try? parser.parse(input, requestMethod: .get), case .upgrade = r.event else { return XCTFail() }
            XCTAssertEqual(r.consumed, input.count - 3)
            XCTAssertThrowsError(try parser.parse(UnsafeRawBufferPointer(rebasing: input[r.consumed...]), requestMethod: .get))
        }
    }

    func test_responseParser_connect2xx_isTunnel() {
        let t = parseResponse("HTTP/1.1 200 Connection established\r\n\r\nTLSBYTES", method: .connect)
        guard case .upgrade = t[0] else { return XCTFail("\(t)") }
        XCTAssertEqual(t[1], .body("TLSBYTES"))
    }

    func test_responseParser_connectRefused_hasBody() {
        let t = parseResponse("HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno", method: .connect)
        XCTAssertEqual(t[0].head?.framing, .contentLength(2))
    }

    func test_responseParser_noLength_isCloseDelimitedUntilEOF() {
        let t = parseResponse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of this until close", eof: true)
        XCTAssertEqual(t[0].head?.framing, .untilClose)
        XCTAssertEqual(t[0].head?.keepAlive, false)
        XCTAssertEqual(Array(t.dropFirst()), [.body("all of this until close"), .end])
    }

    func test_responseParser_eofInsideContentLength_throws502() {
        let t = parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", eof: true)
        XCTAssertEqual(t.last, .error(HTTP1ParseError(.truncatedMessage, status: 502)))
    }

    func test_responseParser_eofAfterInterim_throws502() {
        let t = parseResponse("HTTP/1.1 100 Continue\r\n\r\n", eof: true)
        XCTAssertEqual(t.last, .error(HTTP1ParseError(.truncatedMessage, status: 502)))
    }

    func test_responseParser_eofWhenIdle_isClean() {
        var parser = HTTP1ResponseParser()
        XCTAssertNil(try parser.eof())
        let t = parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", eof: true)
        XCTAssertEqual(t.last, .end)
        XCTAssertEqual(t.count, 2)
    }

    func test_responseParser_chunkedWithTrailers_reportsTrailers() {
        let t = parseResponse(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\ngrpc-status: 0\r\n\r\n")
        XCTAssertEqual(t[0].head?.framing, .chunked)
        XCTAssertEqual(Array(t.dropFirst()), [.body("Wikipedia"), .trailers(["grpc-status: 0"]), .end])
    }

    func test_responseParser_contentLengthWithTransferEncoding_chunkedWinsAndCloses() {
        let t = parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")
        XCTAssertEqual(t[0].head?.framing, .chunked)
        XCTAssertEqual(t[0].head?.keepAlive, false)
        XCTAssertEqual(Array(t.dropFirst()), [.body("ok"), .end])
    }

    func test_responseParser_transferEncodingNotChunked_is502() {
        let t = parseResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")
        XCTAssertEqual(t.last, .error(HTTP1ParseError(.transferEncodingNotChunked, status: 502)))
    }

    func test_responseParser_conflictingContentLengths_is502() {
        let t = parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
        XCTAssertEqual(t.last, .error(HTTP1ParseError(.conflictingContentLengths, status: 502)))
    }

    func test_responseParser_obsFold_is502() {
        let t = parseResponse("HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\n\r\n")
        XCTAssertEqual(t.last, .error(HTTP1ParseError(.obsoleteLineFolding, status: 502)))
    }

    func test_responseParser_statusWithoutReason_isAccepted() {
        let t = parseResponse("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\nHTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n")
        XCTAssertEqual(t.compactMap { $0.head?.startLine }, ["HTTP/1.1 200 ", "HTTP/1.1 404 "])
    }

    func test_responseParser_malformedStatusLine_is502() {
        for line in ["HTTP/1.1 20 OK", "HTTP/1.1  200 OK", "HTTP/1.1 2x0 OK", "HTTP/1.1 200OK", "HTTP/1.1 099 X", "ICY 200 OK"] {
            let t = parseResponse(line + "\r\n\r\n")
            guard case .error(let error)? = t.last else { return XCTFail(line) }
            XCTAssertEqual(error.status, 502, line)
        }
        let t = parseResponse("HTTP/2.0 200 OK\r\n\r\n")
        XCTAssertEqual(t.last, .error(HTTP1ParseError(.unsupportedVersion, status: 502)))
    }

    func test_responseParser_http10_closesUnlessKeepAlive() {
        let t = parseResponse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")
        XCTAssertEqual(t.compactMap { $0.head?.keepAlive }, [false, true])
    }

    func test_responseParser_connectionClose_isNotKeepAlive() {
        let t = parseResponse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
        XCTAssertEqual(t[0].head?.keepAlive, false)
    }

    func test_responseParser_keepAliveResponses_parseInSequence() {
        let t = parseResponse(
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nA"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nB\r\n0\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n")
        XCTAssertEqual(t.filter { $0 == .end }.count, 3)
        XCTAssertEqual(t.filter { if case .body = $0 { return true } else { return false } }, [.body("A"), .body("B")])
    }

    func test_responseParser_resetAfterUpgrade_parsesFreshResponse() throws {
        var parser = HTTP1ResponseParser()
        let upgrade = Array("HTTP/1.1 101 Switching Protocols\r\n\r\n".utf8)
        _ = try upgrade.withUnsafeBytes { try parser.parse($0, requestMethod: .get) }
        parser.reset()
        let fresh = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)
        let r = try fresh.withUnsafeBytes { try parser.parse($0, requestMethod: .get) }
        guard case .head(let head) = r.event else { return XCTFail() }
        XCTAssertEqual(head.status, 200)
    }
}
