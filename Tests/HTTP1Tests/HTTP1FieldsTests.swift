import Foundation
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

    func test_fields_lookupByFixedName_matchesStringLookup() {
        let f = fields([("User-Agent", "a"), ("user-agent", "b"), ("X-Long-Name", "c")])
        let agent: StaticString = "USER-AGENT"
        XCTAssertEqual(f.firstValue(named: agent).map(text), "a")
        XCTAssertEqual(f.firstValue(named: "x-long-name" as StaticString).map(text), "c")
        // Same length, different name; and a prefix of a name.
        XCTAssertNil(f.firstValue(named: "x-long-nama" as StaticString))
        XCTAssertNil(f.firstValue(named: "user" as StaticString))
        XCTAssertEqual(f.nameLength(2), 11)
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

    func test_hopByHop_beyondSixtyFourFields_decidesEveryFieldAsTheFirstOnes() {
        // Fields past the 64 decided in bulk are decided per call: both paths must agree, whichever Connection
        // field (before or after the 64th) names them.
        var list: [(String, String)] = (0..<80).map { ("X-F\($0)", "v") }
        list[3] = ("X-Named", "1")
        list[10] = ("Connection", "x-named, X-LATE")
        list[40] = ("Keep-Alive", "timeout=5")
        list[68] = ("x-late", "2")
        list[70] = ("connection", "X-F5, x-f75")
        list[72] = ("TE", "trailers")
        list[74] = ("Upgrade", "websocket")
        let f = fields(list)
        XCTAssertEqual(Array(HopByHopFields(f)), [3, 5, 10, 40, 68, 70, 72, 74, 75])
        XCTAssertEqual(Array(HopByHopFields(f, keepsUpgrade: true)), [3, 5, 10, 40, 68, 70, 72, 75])
    }

    func test_hopByHop_connectionOptions_matchNamesIgnoringCaseAndWhitespace() {
        let f = fields([
            ("Date", "x"), ("X-A", "1"), ("Connection", " keep-alive ,X-a,,  x-B  "), ("x-b", "2"), ("X-Ab", "3"),
            ("Upgrade", "h2c"), ("Connection", "upgrade"),
        ])
        XCTAssertEqual(Array(HopByHopFields(f)), [1, 2, 3, 5, 6])
        XCTAssertEqual(Array(HopByHopFields(f, keepsUpgrade: true)), [1, 2, 3, 6])
    }

    func test_hopByHop_randomHeads_matchTheRFCRule() {
        // RFC 9110 §7.6.1 written out plainly, against heads of up to 100 fields with random names and options.
        // Every fixed name, near misses of each (one byte off, at the start, middle and end), other names.
        let names = ["Connection", "TE", "Upgrade", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding",
                     "Connectiom", "Donnection", "Conne-tion", "TF", "UE", "Upgradf", "Upgbade", "Keep_Alive", "Keep-Alivf",
                     "Proxy-Connectiom", "Proxy-Donnection", "Transfer-Encodinh", "Transfer-Encoding1", "Transfer-Encodin",
                     "X-A", "X-B", "Host", "Date", "X-Long-Name"]
        func randomCase(_ name: String) -> String {
            String(name.map { Bool.random(using: &generator) ? Character($0.uppercased()) : Character($0.lowercased()) })
        }
        let options = ["keep-alive", "close", "Upgrade", "x-a", "X-B", "x-long-name", "te", "host", "", " ", "x-c",
                       "donnection", "Upgradf"]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            let count = Int.random(in: 1...100, using: &generator)
            let list: [(String, String)] = (0..<count).map { _ in
                let name = randomCase(names.randomElement(using: &generator)!)
                guard name.lowercased() == "connection" else { return (name, "v") }
                let value = (0..<Int.random(in: 0...3, using: &generator))
                    .map { _ in options.randomElement(using: &generator)! }.joined(separator: " ,")
                return (name, value)
            }
            let named = Set(list.filter { $0.0.lowercased() == "connection" }.flatMap {
                $0.1.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            })
            for keepsUpgrade in [false, true] {
                let expected = list.indices.filter { i in
                    let name = list[i].0.lowercased()
                    if name == "upgrade" { return !keepsUpgrade }
                    return ["te", "connection", "keep-alive", "proxy-connection", "transfer-encoding"].contains(name)
                        || named.contains(name)
                }
                let f = fields(list)
                XCTAssertEqual(Array(HopByHopFields(f, keepsUpgrade: keepsUpgrade)), expected, "round \(round): \(list)")
                XCTAssertEqual(f.indices.filter { HopByHopFields(f, keepsUpgrade: keepsUpgrade).contains($0) }, expected)
            }
        }
    }

    func test_ascii_tokenChars_matchRFC9110() {
        let tchar = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for b in 0...255 {
            XCTAssertEqual(ASCII.isTokenChar(UInt8(b)), tchar.contains(UInt8(b)), "byte \(b)")
        }
    }
}
