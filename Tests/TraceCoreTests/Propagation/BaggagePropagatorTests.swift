import XCTest

@testable import TraceCore

final class BaggagePropagatorTests: XCTestCase {
    private let propagator = BaggagePropagator()

    func test_extract_membersWithPropertiesAndPercentDecoding() {
        let result = propagator.extract(
            from: HeaderFieldList([
                ("baggage", "userId=alice, serverNode = DF%2028 ;prop1;k=v,isProduction=false"),
                ("baggage", "emoji=%F0%9F%98%80"),
            ])
        )
        let baggage = result.baggage!
        XCTAssertNil(result.spanContext)
        XCTAssertEqual(baggage.entries.map(\.key), ["userId", "serverNode", "isProduction", "emoji"])
        XCTAssertEqual(baggage["serverNode"], "DF 28")
        XCTAssertEqual(baggage.entries[1].metadata, "prop1;k=v")
        XCTAssertEqual(baggage["emoji"], "😀")
    }

    func test_extract_invalidMembers_areSkipped() {
        let baggage = BaggagePropagator.parse(
            "good=1,no-equals,bad key=2,=empty,quote=\"x\",bad%=%zz,semi=a;b,also=ok,comma=%2C"
        )
        XCTAssertEqual(baggage.entries.map(\.key), ["good", "semi", "also", "comma"])
        XCTAssertEqual(baggage["semi"], "a")
        XCTAssertEqual(baggage["comma"], ",")
    }

    func test_extract_absentHeader_returnsNilBaggage() {
        XCTAssertNil(propagator.extract(from: HeaderFieldList([("other", "x")])).baggage)
    }

    func test_extract_over64Members_keepsFirst64() {
        let header = (0..<80).map { "k\($0)=v" }.joined(separator: ",")
        let baggage = BaggagePropagator.parse(header)
        XCTAssertEqual(baggage.entries.count, 64)
        XCTAssertEqual(baggage.entries.last?.key, "k63")
    }

    func test_extract_over8192Bytes_keepsWholeMembersWithinLimit() {
        let value = String(repeating: "x", count: 1000)
        let header = (0..<10).map { "k\($0)=\(value)" }.joined(separator: ",")  // 10 × 1003 bytes + commas
        let baggage = BaggagePropagator.parse(header)
        XCTAssertEqual(baggage.entries.count, 8)
        XCTAssertTrue(baggage.entries.allSatisfy { $0.value.count == 1000 })
    }

    func test_inject_percentEncodesAndKeepsOrder() {
        var baggage = Baggage()
        baggage.set("userId", "alice")
        baggage.set("note", "a b,c;d=e%f")
        baggage.set("p", "1", metadata: "prop")
        var carrier: [String: String] = [:]
        propagator.inject(nil, baggage: baggage, into: &carrier)
        XCTAssertEqual(carrier["baggage"], "userId=alice,note=a%20b%2Cc%3Bd=e%25f,p=1;prop")
        XCTAssertEqual(BaggagePropagator.parse(carrier["baggage"]!), baggage)
    }

    func test_inject_limits_neverWritesPartialMember() {
        var many = Baggage()
        for index in 0..<100 { many.set("k\(index)", "v") }
        XCTAssertEqual(BaggagePropagator.headerValue(for: many).split(separator: ",").count, 64)

        var big = Baggage()
        for index in 0..<10 { big.set("k\(index)", String(repeating: "x", count: 1000)) }
        big.set("small", "1")
        let value = BaggagePropagator.headerValue(for: big)
        XCTAssertLessThanOrEqual(value.utf8.count, 8192)
        let members = value.split(separator: ",")
        XCTAssertEqual(members.count, 9, "8 large members fit, the rest are skipped whole, the small one still fits")
        XCTAssertTrue(members.allSatisfy { $0.hasSuffix("=1") || $0.count == 1003 })
    }

    func test_inject_emptyBaggage_writesNothing() {
        var carrier: [String: String] = [:]
        propagator.inject(nil, baggage: Baggage(), into: &carrier)
        propagator.inject(nil, baggage: nil, into: &carrier)
        XCTAssertTrue(carrier.isEmpty)
    }
}
