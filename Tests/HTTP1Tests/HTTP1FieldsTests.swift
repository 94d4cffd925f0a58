import XCTest
@testable import HTTP1

/// Field list, token list and hop-by-hop utilities.
final class HTTP1FieldsTests: XCTestCase {
    private func fields(_ pairs: [(String, String)]) -> HTTP1Fields {
        var f = HTTP1Fields()
        for (n, v) in pairs { f.append(name: n, value: v) }
        return f
    }

    func test_tokenList_mixedWhitespaceAndEmptyElements_yieldsTrimmedTokens() {
        let list = HTTP1TokenList(ArraySlice(" keep-alive ,, Upgrade,\tclose\t,".utf8))
        XCTAssertEqual(list.map(text), ["keep-alive", "Upgrade", "close"])
        XCTAssertTrue(list.contains("UPGRADE"))
        XCTAssertFalse(list.contains("upgrad"))
    }

    func test_tokenList_emptyValue_yieldsNothing() {
        XCTAssertEqual(HTTP1TokenList([]).map(text), [])
        XCTAssertEqual(HTTP1TokenList(ArraySlice(" , ".utf8)).map(text), [])
    }

    func test_fields_lookup_isCaseInsensitive() {
        let f = fields([("Content-Type", "a"), ("content-type", "b"), ("X", "c")])
        XCTAssertEqual(f.firstIndex(named: "CONTENT-TYPE"), 0)
        XCTAssertEqual(f.count(named: "content-Type"), 2)
        XCTAssertEqual(f.firstValue(named: "x").map(text), "c")
        XCTAssertNil(f.firstValue(named: "content"))
    }

    func test_fields_removeAll_keepsCapacityAndEmpties() {
        var f = HTTP1Fields(byteCapacity: 128, fieldCapacity: 4)
        f.append(name: "A", value: "1")
        f.removeAll()
        XCTAssertTrue(f.isEmpty)
        XCTAssertGreaterThanOrEqual(f.bytes.capacity, 128)
    }

    func test_hopByHop_standardFields_areStripped() {
        let f = fields([
            ("Host", "a"), ("Connection", "keep-alive"), ("Keep-Alive", "timeout=5"), ("Proxy-Connection", "x"),
            ("TE", "trailers"), ("Transfer-Encoding", "chunked"), ("Upgrade", "websocket"), ("Accept", "*/*"),
        ])
        XCTAssertEqual(Array(HopByHopFields(f)), [1, 2, 3, 4, 5, 6])
    }

    func test_hopByHop_fieldsNamedByConnection_areStripped() {
        let f = fields([("Connection", "X-Foo, x-bar"), ("X-Foo", "1"), ("X-Bar", "2"), ("X-Baz", "3"), ("connection", "X-Baz")])
        XCTAssertEqual(Array(HopByHopFields(f)), [0, 1, 2, 3, 4])
    }

    func test_hopByHop_whenTunnelling_keepsUpgrade() {
        let f = fields([("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Key", "k")])
        XCTAssertEqual(Array(HopByHopFields(f, keepsUpgrade: true)), [1])
        XCTAssertEqual(Array(HopByHopFields(f)), [0, 1])
    }

    func test_hopByHop_endToEndFields_areKept() {
        let f = fields([("Host", "a"), ("Accept", "*/*"), ("traceparent", "00-x")])
        XCTAssertEqual(Array(HopByHopFields(f)), [])
    }

    func test_ascii_tokenChars_matchRFC9110() {
        let tchar = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for b in 0...255 {
            XCTAssertEqual(ASCII.isTokenChar(UInt8(b)), tchar.contains(UInt8(b)), "byte \(b)")
        }
    }
}
