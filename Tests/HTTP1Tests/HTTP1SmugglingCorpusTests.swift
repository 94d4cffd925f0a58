import XCTest
@testable import HTTP1

/// Request-smuggling corpus (CL.TE, TE.CL, TE.TE obfuscations, duplicate CL): every message that two parsers could
/// frame differently must be rejected, and the accepted variants must frame the one way every RFC 9112 parser would.
final class HTTP1SmugglingCorpusTests: XCTestCase {
    private let start = "POST / HTTP/1.1\r\nHost: a\r\n"

    func test_smuggling_clte_isRejected() {
        assertRequestRejected(
            start + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG", .contentLengthWithTransferEncoding)
    }

    func test_smuggling_tecl_isRejected() {
        assertRequestRejected(
            start + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
            .contentLengthWithTransferEncoding)
    }

    func test_smuggling_clteWithZeroLength_isRejected() {
        assertRequestRejected(start + "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n", .contentLengthWithTransferEncoding)
    }

    func test_smuggling_spaceBeforeColonInTransferEncoding_isRejected() {
        assertRequestRejected(start + "Transfer-Encoding : chunked\r\nContent-Length: 4\r\n\r\n", .whitespaceBeforeColon)
    }

    func test_smuggling_chunkedThenIdentity_isRejected() {
        assertRequestRejected(start + "Transfer-Encoding: chunked, identity\r\n\r\n", .transferEncodingNotChunked)
    }

    func test_smuggling_chunkedThenIdentityOnSecondLine_isRejected() {
        assertRequestRejected(
            start + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n", .transferEncodingNotChunked)
    }

    func test_smuggling_identityThenChunked_isRejected() {
        assertRequestRejected(
            start + "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n\r\n", .unsupportedTransferCoding)
    }

    func test_smuggling_xchunked_isRejected() {
        assertRequestRejected(start + "Transfer-Encoding: xchunked\r\n\r\n", .transferEncodingNotChunked)
    }

    func test_smuggling_chunkPrefix_isRejected() {
        assertRequestRejected(start + "Transfer-Encoding: chunk\r\n\r\n", .transferEncodingNotChunked)
    }

    func test_smuggling_quotedChunked_isRejected() {
        assertRequestRejected(start + "Transfer-Encoding: \"chunked\"\r\n\r\n", .invalidTransferEncoding)
    }

    func test_smuggling_chunkedWithParameter_isRejected() {
        assertRequestRejected(start + "Transfer-Encoding: chunked;foo=bar\r\n\r\n", .invalidTransferEncoding)
    }

    func test_smuggling_verticalTabBeforeChunked_isRejected() {
        assertRequestRejected(start + "Transfer-Encoding:\u{0B}chunked\r\n\r\n", .invalidFieldValue)
    }

    func test_smuggling_formFeedAfterChunked_isRejected() {
        assertRequestRejected(start + "Transfer-Encoding: chunked\u{0C}\r\n\r\n", .invalidFieldValue)
    }

    func test_smuggling_foldedTransferEncoding_isRejected() {
        assertRequestRejected(start + "X-A: b\r\n Transfer-Encoding: chunked\r\n\r\n", .obsoleteLineFolding)
        assertRequestRejected(start + "Transfer-Encoding: identity\r\n chunked\r\n\r\n", .obsoleteLineFolding)
    }

    func test_smuggling_bareCRSeparatedFields_isRejected() {
        assertRequestRejected(start + "X-A: b\rTransfer-Encoding: chunked\r\n\r\n", .invalidFieldValue)
    }

    func test_smuggling_bareLFSeparatedFields_isRejected() {
        assertRequestRejected(start + "X-A: b\nTransfer-Encoding: chunked\r\n\r\n", .bareLineFeed)
    }

    func test_smuggling_nulInFieldName_isRejected() {
        assertRequestRejected(start + "Transfer-Encoding\u{0}: chunked\r\n\r\n", .invalidFieldName)
    }

    func test_smuggling_tabAndSpaceAroundChunked_isChunked() {
        for value in ["\tchunked", "chunked\t", " \t chunked \t ", "CHUNKED", "Chunked", ", chunked"] {
            let t = parseRequest(start + "Transfer-Encoding:\(value)\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
            XCTAssertEqual(t.first?.head?.framing, .chunked, value.debugDescription)
            XCTAssertEqual(Array(t.dropFirst()), [.body("abc"), .end], value.debugDescription)
        }
    }

    func test_smuggling_tabVariantWithContentLength_isRejected() {
        assertRequestRejected(start + "Transfer-Encoding:\tchunked\r\nContent-Length: 3\r\n\r\n", .contentLengthWithTransferEncoding)
    }

    func test_smuggling_lookalikeFieldName_isAnOrdinaryField() {
        let t = parseRequest(start + "Transfer_Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc")
        XCTAssertEqual(t.first?.head?.framing, .contentLength(3))
        XCTAssertEqual(Array(t.dropFirst()), [.body("abc"), .end])
    }

    func test_smuggling_duplicateDifferingContentLength_isRejected() {
        assertRequestRejected(start + "Content-Length: 0\r\nContent-Length: 5\r\n\r\nhello", .conflictingContentLengths)
        assertRequestRejected(start + "Content-Length: 5\r\ncontent-length: 50\r\n\r\nhello", .conflictingContentLengths)
    }

    func test_smuggling_contentLengthWithSign_isRejected() {
        assertRequestRejected(start + "Content-Length: +5\r\n\r\nhello", .invalidContentLength)
    }

    func test_smuggling_chunkSizeWrappingTo0_isRejected() {
        assertRequestRejected(start + "Transfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", .chunkSizeOverflow)
    }

    func test_smuggling_chunkSizeWithHexPrefix_isRejected() {
        assertRequestRejected(start + "Transfer-Encoding: chunked\r\n\r\n0x0\r\n\r\n", .invalidChunkSize)
    }

    func test_smuggling_transferEncodingOnHTTP10WithContentLength_isRejected() {
        assertRequestRejected(
            "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", .transferEncodingOnHTTP10)
    }

    func test_smuggling_requestHiddenInContentLengthBody_staysBody() {
        let t = parseRequest(start + "Content-Length: 28\r\n\r\nGET /admin HTTP/1.1\r\nX: \r\n\r\n")
        XCTAssertEqual(t.count, 3)
        XCTAssertEqual(t[1], .body("GET /admin HTTP/1.1\r\nX: \r\n\r\n"))
        XCTAssertEqual(t[2], .end)
    }

    func test_smuggling_pipelinedAfterZeroLength_isSecondRequest() {
        let t = parseRequest("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\nGET /admin HTTP/1.1\r\nHost: a\r\n\r\n")
        XCTAssertEqual(t.compactMap { $0.head?.startLine }, ["GET / HTTP/1.1", "GET /admin HTTP/1.1"])
    }
}
