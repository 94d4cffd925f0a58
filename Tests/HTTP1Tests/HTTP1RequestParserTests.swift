import XCTest
@testable import HTTP1

/// Request heads, forms, versions, keep-alive, pipelining and bodies; every case also runs byte by byte.
final class HTTP1RequestParserTests: XCTestCase {
    func test_requestParser_simpleGet_reportsHeadThenEnd() {
        let t = parseRequest("GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n")
        XCTAssertEqual(t.count, 2)
        let head = t[0].head
        XCTAssertEqual(head?.startLine, "GET /index.html?q=1 HTTP/1.1")
        XCTAssertEqual(head?.fields, ["Host: example.com", "Accept: */*"])
        XCTAssertEqual(head?.authority, "example.com")
        XCTAssertEqual(head?.keepAlive, true)
        XCTAssertEqual(head?.framing, HTTP1BodyFraming.none)
        XCTAssertEqual(head?.target, .origin(pathAndQuery: ArraySlice("/index.html?q=1".utf8)))
        XCTAssertEqual(t[1], .end)
    }

    func test_requestParser_knownMethods_mapToEnumCases() {
        let cases: [(String, HTTP1Method)] = [
            ("GET", .get), ("HEAD", .head), ("POST", .post), ("PUT", .put), ("DELETE", .delete),
            ("OPTIONS", .options), ("TRACE", .trace), ("PATCH", .patch),
        ]
        for (name, method) in cases {
            var parser = HTTP1RequestParser()
            let raw = Array("\(name) / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
            let result = try? raw.withUnsafeBytes { try parser.parse($0) }
            guard case .head(let head)? = result?.event else { return XCTFail("no head for \(name)") }
            XCTAssertEqual(head.method, method)
        }
    }

    func test_requestParser_unknownOrLowercaseMethod_isOtherWithBytes() {
        let t = parseRequest("PROPFIND / HTTP/1.1\r\nHost: a\r\n\r\nget / HTTP/1.1\r\nHost: a\r\n\r\n")
        XCTAssertEqual(t[0].head?.startLine, "PROPFIND / HTTP/1.1")
        XCTAssertEqual(t[2].head?.startLine, "get / HTTP/1.1")
        var parser = HTTP1RequestParser()
        let raw = Array("get / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        let result = try? raw.withUnsafeBytes { try parser.parse($0) }
        guard case .head(let head)? = result?.event else { return XCTFail("no head") }
        XCTAssertEqual(head.method, .other(ArraySlice("get".utf8)))
    }

    func test_requestParser_absoluteForm_authorityReplacesHost() {
        let t = parseRequest("GET http://origin.example:8080/a/b?c HTTP/1.1\r\nHost: other.example\r\n\r\n")
        let head = t[0].head
        XCTAssertEqual(head?.authority, "origin.example:8080")
        XCTAssertEqual(head?.target, .absolute(
            scheme: ArraySlice("http".utf8), authority: ArraySlice("origin.example:8080".utf8),
            pathAndQuery: ArraySlice("/a/b?c".utf8)))
    }

    func test_requestParser_absoluteFormWithoutPath_hasEmptyPath() {
        let t = parseRequest("GET https://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n")
        XCTAssertEqual(t[0].head?.target, .absolute(
            scheme: ArraySlice("https".utf8), authority: ArraySlice("example.com".utf8), pathAndQuery: []))
    }

    func test_requestParser_absoluteFormWithUserinfo_isRejected() {
        assertRequestRejected("GET http://user@example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n", .invalidTarget)
    }

    func test_requestParser_authorityFormWithConnect_isAccepted() {
        let t = parseRequest("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
        XCTAssertEqual(t[0].head?.target, .authority(ArraySlice("example.com:443".utf8)))
        XCTAssertEqual(t[0].head?.authority, "example.com:443")
        XCTAssertEqual(t[1], .end)
    }

    func test_requestParser_connectWithoutPort_isRejected() {
        assertRequestRejected("CONNECT example.com HTTP/1.1\r\nHost: example.com\r\n\r\n", .invalidTarget)
    }

    func test_requestParser_asteriskFormWithOptions_isAccepted() {
        let t = parseRequest("OPTIONS * HTTP/1.1\r\nHost: example.com\r\n\r\n")
        XCTAssertEqual(t[0].head?.target, .asterisk)
    }

    func test_requestParser_asteriskFormWithGet_isRejected() {
        assertRequestRejected("GET * HTTP/1.1\r\nHost: example.com\r\n\r\n", .invalidTarget)
    }

    func test_requestParser_http10WithoutKeepAlive_closes() {
        let t = parseRequest("GET / HTTP/1.0\r\n\r\n")
        XCTAssertEqual(t[0].head?.keepAlive, false)
        XCTAssertNil(t[0].head?.authority)
    }

    func test_requestParser_http10WithKeepAlive_staysOpen() {
        let t = parseRequest("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
        XCTAssertEqual(t[0].head?.keepAlive, true)
    }

    func test_requestParser_http11WithConnectionClose_closes() {
        let t = parseRequest("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n")
        XCTAssertEqual(t[0].head?.keepAlive, false)
    }

    func test_requestParser_unsupportedVersion_is505() {
        assertRequestRejected("GET / HTTP/2.0\r\nHost: a\r\n\r\n", .unsupportedVersion)
        assertRequestRejected("GET / HTTP/1.2\r\nHost: a\r\n\r\n", .unsupportedVersion)
    }

    func test_requestParser_malformedVersion_is400() {
        assertRequestRejected("GET / HTTP/1\r\nHost: a\r\n\r\n", .invalidVersion)
        assertRequestRejected("GET / http/1.1\r\nHost: a\r\n\r\n", .invalidVersion)
    }

    func test_requestParser_expect100Continue_isExposed() {
        let t = parseRequest("PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nok")
        XCTAssertEqual(t[0].head?.expectsContinue, true)
        XCTAssertEqual(t[1], .body("ok"))
        XCTAssertEqual(t[2], .end)
    }

    func test_requestParser_expect100ContinueOnHTTP10_isIgnored() {
        let t = parseRequest("PUT /x HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n")
        XCTAssertEqual(t[0].head?.expectsContinue, false)
    }

    func test_requestParser_upgradeWithConnectionUpgrade_exposesProtocols() {
        let t = parseRequest(
            "GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket, h2c\r\nConnection: keep-alive, Upgrade\r\n\r\n")
        XCTAssertEqual(t[0].head?.upgrade, "websocket, h2c")
    }

    func test_requestParser_upgradeWithoutConnectionOption_isNotAnUpgrade() {
        let t = parseRequest("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n")
        XCTAssertNil(t[0].head?.upgrade)
    }

    func test_requestParser_fields_keepOrderCaseAndObsText() {
        var raw = Array("GET / HTTP/1.1\r\nHost: a\r\nX-Name:   caf".utf8)
        raw += [0xC3, 0xA9]
        raw += Array(" \t\r\nx-name: two\r\n\r\n".utf8)
        var parser = HTTP1RequestParser()
        let result = try? raw.withUnsafeBytes { try parser.parse($0) }
        guard case .head(let head)? = result?.event else { return XCTFail("no head") }
        XCTAssertEqual(head.fields.count, 3)
        XCTAssertEqual(Array(head.fields[1].name), Array("X-Name".utf8))
        XCTAssertEqual(Array(head.fields[1].value), Array("caf".utf8) + [0xC3, 0xA9])
        XCTAssertEqual(head.fields.count(named: "x-NAME"), 2)
        XCTAssertEqual(head.fields.firstValue(named: "X-NAME").map(text), "café")
        XCTAssertNil(head.fields.firstIndex(named: "missing"))
        parseRequest(raw)
    }

    func test_requestParser_contentLengthBody_isReportedAsInputRange() {
        var parser = HTTP1RequestParser()
        let raw = Array("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET".utf8)
        raw.withUnsafeBytes { input in
            guard let first = try? parser.parse(input), case .head(let head) = first.event else { return XCTFail() }
            XCTAssertEqual(head.framing, .contentLength(5))
            let rest = UnsafeRawBufferPointer(rebasing: input[first.consumed...])
            guard let second = try? parser.parse(rest), case .body(let range) = second.event else { return XCTFail() }
            XCTAssertEqual(range, 0..<5)
            XCTAssertEqual(second.consumed, 5)
            // The body range points into the caller's buffer: no copy.
            XCTAssertEqual(rest.baseAddress, input.baseAddress! + first.consumed)
            let third = try? parser.parse(UnsafeRawBufferPointer(rebasing: rest[5...]))
            guard case .end? = third?.event else { return XCTFail() }
            XCTAssertEqual(third?.consumed, 0)
        }
    }

    func test_requestParser_pipelinedRequests_parseInOrder() {
        let t = parseRequest(
            "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                + "GET /b HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n"
                + "GET /d HTTP/1.1\r\nHost: a\r\n\r\n")
        let lines = t.compactMap { $0.head?.startLine }
        XCTAssertEqual(lines, ["POST /a HTTP/1.1", "GET /b HTTP/1.1", "POST /c HTTP/1.1", "GET /d HTTP/1.1"])
        XCTAssertEqual(t.filter { $0 == .end }.count, 4)
        XCTAssertTrue(t.contains(.body("abc")))
        XCTAssertTrue(t.contains(.body("xyz")))
    }

    func test_requestParser_http10KeepAlivePipelined_parsesBoth() {
        let t = parseRequest(
            "GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        XCTAssertEqual(t.compactMap { $0.head?.keepAlive }, [true, true])
    }

    func test_requestParser_leadingEmptyLines_areIgnored() {
        let t = parseRequest("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
        XCTAssertEqual(t[0].head?.startLine, "GET / HTTP/1.1")
    }

    func test_requestParser_chunkedWithTrailers_reportsDataThenTrailers() {
        let t = parseRequest(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n1A;name=value;flag\r\nabcdefghijklmnopqrstuvwxyz\r\n"
                + "0\r\nChecksum: abc\r\nX-Trailer: 1\r\n\r\n")
        XCTAssertEqual(t[0].head?.framing, .chunked)
        XCTAssertEqual(t[1], .body("helloabcdefghijklmnopqrstuvwxyz"))
        XCTAssertEqual(t[2], .trailers(["Checksum: abc", "X-Trailer: 1"]))
        XCTAssertEqual(t[3], .end)
    }

    func test_requestParser_chunkedWithoutTrailers_endsDirectly() {
        let t = parseRequest("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n")
        XCTAssertEqual(t, [t[0], .body("hi"), .end])
    }

    func test_requestParser_chunkExtensionsWithQuotedStringAndBWS_areAccepted() {
        let t = parseRequest(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2 ; a = \"q\\\"x;y\" ; b=tok\r\nhi\r\n0\r\n\r\n")
        XCTAssertEqual(t[1], .body("hi"))
        XCTAssertEqual(t[2], .end)
    }

    func test_requestParser_eofInsideBody_throwsTruncated() {
        var parser = HTTP1RequestParser()
        let raw = Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nabc".utf8)
        _ = try? raw.withUnsafeBytes { try parser.parse($0) }
        XCTAssertThrowsError(try parser.eof())
        let idle = HTTP1RequestParser()
        XCTAssertNoThrow(try idle.eof())
        _ = idle.isIdle
    }

    func test_requestParser_reusedStorage_keepsEarlierHeadIntact() {
        // A head kept across the next message must still read its own bytes (copy-on-write).
        var parser = HTTP1RequestParser()
        let raw = Array("GET /first HTTP/1.1\r\nHost: a\r\n\r\nGET /second HTTP/1.1\r\nHost: b\r\n\r\n".utf8)
        var heads: [HTTP1RequestHead] = []
        raw.withUnsafeBytes { input in
            var offset = 0
            while true {
                guard let r = try? parser.parse(UnsafeRawBufferPointer(rebasing: input[offset...])) else { return }
                offset += r.consumed
                if case .head(let h) = r.event { heads.append(h) }
                if case .needMore = r.event { return }
            }
        }
        XCTAssertEqual(heads.map { text($0.rawTarget) }, ["/first", "/second"])
        XCTAssertEqual(heads.map { $0.authority.map(text) }, ["a", "b"])
    }

    func test_requestParser_resetAfterPartialRequest_parsesFreshRequest() throws {
        var parser = HTTP1RequestParser()
        let partial = Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nabc".utf8)
        var offset = 0
        while true {
            let r = try partial.withUnsafeBytes { try parser.parse(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            offset += r.consumed
            if case .needMore = r.event { break }
        }
        XCTAssertFalse(parser.isIdle)
        parser.reset()
        XCTAssertTrue(parser.isIdle)
        let fresh = Array("GET /next HTTP/1.1\r\nHost: b\r\n\r\n".utf8)
        let r = try fresh.withUnsafeBytes { try parser.parse($0) }
        guard case .head(let head) = r.event else { return XCTFail() }
        XCTAssertEqual(text(head.rawTarget), "/next")
    }
}
