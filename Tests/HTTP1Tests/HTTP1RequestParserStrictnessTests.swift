import XCTest
@testable import HTTP1

/// One test per strict framing and syntax rule; every case also runs byte by byte.
final class HTTP1RequestParserStrictnessTests: XCTestCase {
    private let post = "POST / HTTP/1.1\r\nHost: a\r\n"

    // MARK: Content-Length and Transfer-Encoding

    func test_requestParser_contentLengthWithTransferEncoding_is400() {
        assertRequestRejected(post + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", .contentLengthWithTransferEncoding)
    }

    func test_requestParser_differingDuplicateContentLengths_is400() {
        assertRequestRejected(post + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", .conflictingContentLengths)
    }

    func test_requestParser_differingContentLengthList_is400() {
        assertRequestRejected(post + "Content-Length: 3, 4\r\n\r\nabcd", .conflictingContentLengths)
    }

    func test_requestParser_identicalDuplicateContentLengths_collapse() {
        let t = parseRequest(post + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello")
        XCTAssertEqual(t[0].head?.framing, .contentLength(5))
        XCTAssertEqual(t[1], .body("hello"))
    }

    func test_requestParser_identicalContentLengthList_collapses() {
        let t = parseRequest(post + "Content-Length: 5, 5\r\n\r\nhello")
        XCTAssertEqual(t[0].head?.framing, .contentLength(5))
        XCTAssertEqual(t[2], .end)
    }

    func test_requestParser_nonDigitContentLength_is400() {
        assertRequestRejected(post + "Content-Length: 1x\r\n\r\n", .invalidContentLength)
        assertRequestRejected(post + "Content-Length: +5\r\n\r\n", .invalidContentLength)
        assertRequestRejected(post + "Content-Length: -1\r\n\r\n", .invalidContentLength)
        assertRequestRejected(post + "Content-Length: 0x10\r\n\r\n", .invalidContentLength)
        assertRequestRejected(post + "Content-Length: \r\n\r\n", .invalidContentLength)
        assertRequestRejected(post + "Content-Length: 5,,5\r\n\r\n", .invalidContentLength)
        assertRequestRejected(post + "Content-Length: 5 5\r\n\r\n", .invalidContentLength)
    }

    func test_requestParser_overflowingContentLength_is400() {
        assertRequestRejected(post + "Content-Length: 99999999999999999999\r\n\r\n", .invalidContentLength)
    }

    func test_requestParser_transferEncodingFinalNotChunked_is400() {
        assertRequestRejected(post + "Transfer-Encoding: chunked, gzip\r\n\r\n", .transferEncodingNotChunked)
        assertRequestRejected(post + "Transfer-Encoding: gzip\r\n\r\n", .transferEncodingNotChunked)
    }

    func test_requestParser_chunkedAppliedTwice_is400() {
        assertRequestRejected(post + "Transfer-Encoding: chunked, chunked\r\n\r\n", .chunkedAppliedTwice)
        assertRequestRejected(post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", .chunkedAppliedTwice)
    }

    func test_requestParser_transferEncodingOnHTTP10_is400() {
        assertRequestRejected("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .transferEncodingOnHTTP10)
    }

    func test_requestParser_unknownTransferCoding_is501() {
        assertRequestRejected(post + "Transfer-Encoding: foo, chunked\r\n\r\n", .unsupportedTransferCoding)
        assertRequestRejected(post + "Transfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferCoding)
    }

    func test_requestParser_malformedTransferEncoding_is400() {
        assertRequestRejected(post + "Transfer-Encoding: chunked;x=1\r\n\r\n", .invalidTransferEncoding)
        assertRequestRejected(post + "Transfer-Encoding: \r\n\r\n", .invalidTransferEncoding)
    }

    func test_requestParser_transferEncodingCaseInsensitive_isChunked() {
        let t = parseRequest(post + "Transfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n")
        XCTAssertEqual(t[0].head?.framing, .chunked)
        XCTAssertEqual(t[1], .end)
    }

    // MARK: Chunked body

    func test_requestParser_nonHexChunkSize_is400() {
        assertRequestRejected(post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", .invalidChunkSize)
        assertRequestRejected(post + "Transfer-Encoding: chunked\r\n\r\n-1\r\n", .invalidChunkSize)
        assertRequestRejected(post + "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n", .invalidChunkSize)
    }

    func test_requestParser_emptyChunkSize_is400() {
        assertRequestRejected(post + "Transfer-Encoding: chunked\r\n\r\n\r\n", .invalidChunkSize)
        assertRequestRejected(post + "Transfer-Encoding: chunked\r\n\r\n;ext\r\n", .invalidChunkSize)
    }

    func test_requestParser_overflowingChunkSize_is400() {
        assertRequestRejected(post + "Transfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\n", .chunkSizeOverflow)
    }

    func test_requestParser_badChunkExtension_is400() {
        let te = post + "Transfer-Encoding: chunked\r\n\r\n"
        assertRequestRejected(te + "5;\r\nhello\r\n", .invalidChunkExtension)
        assertRequestRejected(te + "5;=x\r\nhello\r\n", .invalidChunkExtension)
        assertRequestRejected(te + "5;a=\r\nhello\r\n", .invalidChunkExtension)
        assertRequestRejected(te + "5;a=\"open\r\nhello\r\n", .invalidChunkExtension)
        assertRequestRejected(te + "5;a b\r\nhello\r\n", .invalidChunkExtension)
        assertRequestRejected(te + "5;a=b c\r\nhello\r\n", .invalidChunkExtension)
        assertRequestRejected(te + "5 \r\nhello\r\n", .invalidChunkExtension)
        assertRequestRejected(te + "5;a=\"x\"y\r\nhello\r\n", .invalidChunkExtension)
    }

    func test_requestParser_missingCRLFAfterChunkData_is400() {
        let te = post + "Transfer-Encoding: chunked\r\n\r\n"
        assertRequestRejected(te + "5\r\nhelloX\r\n0\r\n\r\n", .missingChunkDataCRLF)
        assertRequestRejected(te + "5\r\nhello\rX0\r\n\r\n", .missingChunkDataCRLF)
        assertRequestRejected(te + "5\r\nhello\n0\r\n\r\n", .missingChunkDataCRLF)
    }

    func test_requestParser_bareLFInChunkSizeLine_is400() {
        assertRequestRejected(post + "Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n", .bareLineFeed)
    }

    func test_requestParser_chunkLineTooLong_is400() {
        var limits = HTTP1Limits()
        limits.maxChunkLineLength = 16
        assertRequestRejected(
            post + "Transfer-Encoding: chunked\r\n\r\n5;aaaaaaaaaaaaaaaaaaaaaa\r\nhello\r\n", .chunkLineTooLong, limits: limits)
    }

    // MARK: Field syntax

    func test_requestParser_obsFold_is400() {
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n\r\n", .obsoleteLineFolding)
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n\ttwo\r\n\r\n", .obsoleteLineFolding)
    }

    func test_requestParser_whitespaceBeforeFirstField_is400() {
        assertRequestRejected("GET / HTTP/1.1\r\n Host: a\r\n\r\n", .obsoleteLineFolding)
    }

    func test_requestParser_whitespaceBetweenNameAndColon_is400() {
        assertRequestRejected("GET / HTTP/1.1\r\nHost : a\r\n\r\n", .whitespaceBeforeColon)
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\r\nX-A\t: b\r\n\r\n", .whitespaceBeforeColon)
    }

    func test_requestParser_fieldNameNotToken_is400() {
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\r\nX(A): b\r\n\r\n", .invalidFieldName)
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", .invalidFieldName)
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", .invalidFieldName)
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\r\nX\u{7F}: b\r\n\r\n", .invalidFieldName)
    }

    func test_requestParser_crInFieldValue_is400() {
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", .invalidFieldValue)
    }

    func test_requestParser_nulInFieldValue_is400() {
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{0}c\r\n\r\n", .invalidFieldValue)
    }

    func test_requestParser_otherControlInFieldValue_is400() {
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{1}c\r\n\r\n", .invalidFieldValue)
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{7F}c\r\n\r\n", .invalidFieldValue)
    }

    func test_requestParser_tabInFieldValue_isAccepted() {
        let t = parseRequest("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\tc\r\n\r\n")
        XCTAssertEqual(t[0].head?.fields.last, "X-A: b\tc")
    }

    func test_requestParser_bareLFInHead_is400() {
        assertRequestRejected("GET / HTTP/1.1\nHost: a\r\n\r\n", .bareLineFeed)
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\n\r\n", .bareLineFeed)
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\r\n\n", .bareLineFeed)
    }

    // MARK: Host

    func test_requestParser_missingHostOnHTTP11_is400() {
        assertRequestRejected("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", .missingHost)
    }

    func test_requestParser_missingHostOnAbsoluteForm_is400() {
        assertRequestRejected("GET http://a/ HTTP/1.1\r\n\r\n", .missingHost)
    }

    func test_requestParser_duplicateHost_is400() {
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", .duplicateHost)
        assertRequestRejected("GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", .duplicateHost)
    }

    func test_requestParser_hostWithBadCharacters_is400() {
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", .invalidHost)
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", .invalidHost)
        assertRequestRejected("GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", .invalidHost)
        assertRequestRejected("GET / HTTP/1.1\r\nHost: [zz]\r\n\r\n", .invalidHost)
    }

    func test_requestParser_hostWithBadPort_is400() {
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a:abc\r\n\r\n", .invalidHost)
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a:99999\r\n\r\n", .invalidHost)
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a:\r\n\r\n", .invalidHost)
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a:80:80\r\n\r\n", .invalidHost)
    }

    func test_requestParser_validHostForms_areAccepted() {
        for host in ["example.com", "example.com:8080", "127.0.0.1:1", "[::1]:443", "[2001:db8::1]", ""] {
            let t = parseRequest("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")
            XCTAssertEqual(t.last, .end, host)
            XCTAssertEqual(t.first?.head?.authority, host)
        }
    }

    // MARK: Request line

    func test_requestParser_doubleSpaceInRequestLine_is400() {
        assertRequestRejected("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine)
        assertRequestRejected("GET /  HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine)
    }

    func test_requestParser_extraPartInRequestLine_is400() {
        assertRequestRejected("GET / x HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine)
        assertRequestRejected("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", .invalidRequestLine)
    }

    func test_requestParser_missingPartInRequestLine_is400() {
        assertRequestRejected("GET /\r\nHost: a\r\n\r\n", .invalidRequestLine)
        assertRequestRejected("GET\r\nHost: a\r\n\r\n", .invalidRequestLine)
        assertRequestRejected(" / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine)
    }

    func test_requestParser_methodNotToken_is400() {
        assertRequestRejected("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod)
        assertRequestRejected("GE\tT / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod)
    }

    func test_requestParser_controlCharInTarget_is400() {
        assertRequestRejected("GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget)
        assertRequestRejected("GET /a\u{0}b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget)
        assertRequestRejected("GET /a\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget)
        assertRequestRejected("GET /a\rb HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget)
        assertRequestRejected(Array("GET /a".utf8) + [0xC3, 0xA9] + Array(" HTTP/1.1\r\nHost: a\r\n\r\n".utf8), .invalidTarget)
    }

    func test_requestParser_fragmentInTarget_is400() {
        assertRequestRejected("GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget)
    }

    // MARK: Limits

    func test_requestParser_requestLineOverLimit_is414() {
        let long = String(repeating: "a", count: 8 * 1024)
        assertRequestRejected("GET /\(long) HTTP/1.1\r\nHost: a\r\n\r\n", .startLineTooLong)
    }

    func test_requestParser_requestLineAtLimit_isAccepted() {
        var limits = HTTP1Limits()
        limits.maxStartLineLength = 32
        let line = "GET /\(String(repeating: "a", count: 16)) HTTP/1.1\r\n"
        XCTAssertEqual(line.utf8.count, 32)
        XCTAssertEqual(parseRequest(line + "Host: a\r\n\r\n", limits: limits).last, .end)
        assertRequestRejected("GET /\(String(repeating: "a", count: 17)) HTTP/1.1\r\nHost: a\r\n\r\n", .startLineTooLong, limits: limits)
    }

    func test_requestParser_headerBlockOverLimit_is431() {
        var limits = HTTP1Limits()
        limits.maxHeaderBlockSize = 64
        let big = String(repeating: "v", count: 60)
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\r\nX-Big: \(big)\r\n\r\n", .headerBlockTooLarge, limits: limits)
    }

    func test_requestParser_defaultHeaderBlockOverLimit_is431() {
        let value = String(repeating: "v", count: 1000)
        let fields = (0..<70).map { "X-\($0): \(value)\r\n" }.joined()
        let t = transcribeRequest(Array("GET / HTTP/1.1\r\nHost: a\r\n\(fields)\r\n".utf8), step: 0, limits: HTTP1Limits())
        XCTAssertEqual(t.last, .error(HTTP1ParseError(.headerBlockTooLarge)))
        XCTAssertEqual(HTTP1ParseError(.headerBlockTooLarge).status, 431)
    }

    func test_requestParser_tooManyFields_is431() {
        let fields = (0..<100).map { "X-\($0): v\r\n" }.joined()
        assertRequestRejected("GET / HTTP/1.1\r\nHost: a\r\n\(fields)\r\n", .tooManyFields)
    }

    func test_requestParser_hundredFields_isAccepted() {
        let fields = (0..<99).map { "X-\($0): v\r\n" }.joined()
        XCTAssertEqual(parseRequest("GET / HTTP/1.1\r\nHost: a\r\n\(fields)\r\n").last, .end)
    }

    func test_requestParser_trailerBlockOverLimit_is431() {
        var limits = HTTP1Limits()
        limits.maxTrailerBlockSize = 32
        let big = String(repeating: "v", count: 40)
        assertRequestRejected(
            post + "Transfer-Encoding: chunked\r\n\r\n0\r\nX-T: \(big)\r\n\r\n", .trailerBlockTooLarge, limits: limits)
    }

    func test_requestParser_tooManyTrailerFields_is431() {
        var limits = HTTP1Limits()
        limits.maxTrailerFieldCount = 2
        assertRequestRejected(
            post + "Transfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", .tooManyTrailerFields, limits: limits)
    }

    func test_requestParser_invalidTrailerField_is400() {
        assertRequestRejected(post + "Transfer-Encoding: chunked\r\n\r\n0\r\nA : 1\r\n\r\n", .whitespaceBeforeColon)
    }

    func test_requestParser_contentLengthOverBodyLimit_is413() {
        var limits = HTTP1Limits()
        limits.maxBodySize = 10
        assertRequestRejected(post + "Content-Length: 11\r\n\r\n", .bodyTooLarge, limits: limits)
        XCTAssertEqual(parseRequest(post + "Content-Length: 10\r\n\r\n0123456789", limits: limits).last, .end)
    }

    func test_requestParser_chunkedOverBodyLimit_is413WhileStreaming() {
        var limits = HTTP1Limits()
        limits.maxBodySize = 10
        let t = parseRequest(post + "Transfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n", limits: limits)
        XCTAssertEqual(t[1], .body("abcdef"))
        XCTAssertEqual(t.last, .error(HTTP1ParseError(.bodyTooLarge)))
    }

    func test_parseError_statuses_matchRFC() {
        XCTAssertEqual(HTTP1ParseError(.startLineTooLong).status, 414)
        XCTAssertEqual(HTTP1ParseError(.tooManyFields).status, 431)
        XCTAssertEqual(HTTP1ParseError(.bodyTooLarge).status, 413)
        XCTAssertEqual(HTTP1ParseError(.unsupportedTransferCoding).status, 501)
        XCTAssertEqual(HTTP1ParseError(.unsupportedVersion).status, 505)
        XCTAssertEqual(HTTP1ParseError(.obsoleteLineFolding).status, 400)
        XCTAssertEqual(HTTP1ParseError(.missingHost).description, "400 missing Host")
    }
}
