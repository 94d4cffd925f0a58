import XCTest

@testable import TraceCore

final class TraceContextPropagatorTests: XCTestCase {
    private let propagator = TraceContextPropagator()
    private let traceID = TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736")!
    private let spanID = SpanID(hex: "00f067aa0ba902b7")!

    private func extract(_ fields: [(String, String)]) -> SpanContext? {
        propagator.extract(from: HeaderFieldList(fields)).spanContext
    }

    func test_extract_validVectors_parse() {
        let valid: [(header: String, flags: TraceFlags)] = [
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", .sampled),
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", []),
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03", [.sampled, .random]),
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02", .random),
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff", [.sampled, .random]),  // unknown bits dropped
            ("  00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\t", .sampled),  // OWS around the value
            ("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", .sampled),  // future version, exact length
            ("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be-like", .sampled),
            ("fe-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09-", .sampled),
        ]
        for row in valid {
            let context = extract([("traceparent", row.header)])
            XCTAssertEqual(context?.traceID, traceID, row.header)
            XCTAssertEqual(context?.spanID, spanID, row.header)
            XCTAssertEqual(context?.traceFlags, row.flags, row.header)
            XCTAssertEqual(context?.isRemote, true, row.header)
        }
    }

    func test_extract_invalidVectors_returnNil() {
        let invalid: [(String, String)] = [
            ("ff version", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            ("zero trace id", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
            ("zero span id", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"),
            ("uppercase trace id", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"),
            ("uppercase span id", "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01"),
            ("uppercase version", "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            ("uppercase flags", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A"),
            ("v00 too long", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"),
            ("v00 trailing dash", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-"),
            ("too short", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1"),
            ("short trace id", "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"),
            ("long trace id", "00-4bf92f3577b34da6a3ce929d0e0e47366-00f067aa0ba902b7-01"),
            ("short span id", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01"),
            ("non-hex", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01"),
            ("wrong separator", "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            ("future version no dash", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"),
            ("future version too short", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1"),
            ("internal space", "00-4bf92f3577b34da6a3ce929d0e0e4736 -00f067aa0ba902b7-01"),
            ("empty", ""),
            ("garbage", "this is not a traceparent header at all, not even close"),
        ]
        for (reason, header) in invalid {
            XCTAssertNil(extract([("traceparent", header)]), reason)
        }
    }

    func test_extract_multipleTraceparentFields_isInvalid() {
        let header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        XCTAssertNil(extract([("traceparent", header), ("traceparent", header)]))
        XCTAssertNotNil(extract([("Traceparent", header)]), "field names are case-insensitive")
    }

    func test_extract_malformedTraceparent_dropsTracestate() {
        let result = propagator.extract(
            from: HeaderFieldList([("traceparent", "00-xyz"), ("tracestate", "congo=t61rcWkgMzE")])
        )
        XCTAssertNil(result.spanContext)
    }

    func test_extract_tracestate_combinesFieldsInOrder() {
        let context = extract([
            ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            ("tracestate", "rojo=00f067aa0ba902b7, ,"),
            ("tracestate", "congo=t61rcWkgMzE,tenant@vendor=x y"),
        ])
        XCTAssertEqual(context?.traceState.members.map(\.key), ["rojo", "congo", "tenant@vendor"])
        XCTAssertEqual(context?.traceState["tenant@vendor"], "x y")
        XCTAssertEqual(context?.traceState.headerValue, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE,tenant@vendor=x y")
    }

    func test_parseTraceState_memberGrammar() {
        let valid = [
            "a=1", "a0_-*/=v", "0tenant@sys=v", "t@s=v", "k=" + String(repeating: "v", count: 256),
            String(repeating: "k", count: 256) + "=v", "k=va lue", "k=!\"#$%&'()*+-./:;<>?@[\\]^_`{|}~",
            "  k=v  ,\tj=w", "", " , ,",
        ]
        for header in valid { XCTAssertNotNil(TraceContextPropagator.parseTraceState([header]), header) }
        let invalid = [
            "K=v",  // uppercase key
            "k",  // no '='
            "k=",  // empty value
            "=v",  // empty key
            "k=v=w",  // '=' in value
            "k=" + String(repeating: "v", count: 257),  // value too long
            String(repeating: "k", count: 257) + "=v",  // key too long
            "k=v\u{7F}",  // DEL not printable
            "k=caf\u{E9}",  // non-ASCII
            "k=v\tw",  // tab inside value
            "@s=v",  // a key may not start with '@'
            "_k=v",  // a key starts with a letter or digit
            "t@S=v",  // uppercase system
        ]
        for header in invalid { XCTAssertNil(TraceContextPropagator.parseTraceState([header]), header) }
    }

    func test_parseTraceState_currentKeyGrammar_acceptsDigitsAndAtSigns() {
        // Current W3C grammar: key = ( lcalpha / DIGIT ) 0*255 keychar, keychar includes "@".
        for header in ["1k=v", "t@=v", "t@1s=v", "foo@@bar=1", "foo@bar@baz=1", "t@systemnamewaytoolong=v",
                       String(repeating: "t", count: 242) + "@v=1", String(repeating: "z", count: 256) + "=1"] {
            XCTAssertEqual(TraceContextPropagator.parseTraceState([header])?.members.count, 1, header)
        }
    }

    func test_parseTraceState_duplicateKey_keepsFirstValue() {
        let state = TraceContextPropagator.parseTraceState(["k=v,other=1,k=w"])
        XCTAssertEqual(state?.members.map { "\($0.key)=\($0.value)" }, ["k=v", "other=1"])
    }

    func test_parseTraceState_over32Members_discardsHeader() {
        let thirtyTwo = (0..<32).map { "k\($0)=v" }.joined(separator: ",")
        XCTAssertEqual(TraceContextPropagator.parseTraceState([thirtyTwo])?.members.count, 32)
        XCTAssertNil(TraceContextPropagator.parseTraceState([thirtyTwo + ",k32=v"]))
        XCTAssertNil(TraceContextPropagator.parseTraceState([thirtyTwo, "k32=v"]), "limit spans combined fields")
    }

    func test_extract_malformedTracestate_keepsContextWithEmptyState() {
        let context = extract([
            ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), ("tracestate", "BAD=1"),
        ])
        XCTAssertNotNil(context)
        XCTAssertEqual(context?.traceState.isEmpty, true)
    }

    func test_headerValue_over512_dropsLongEntriesFirstThenFromEnd() {
        // 5 short entries of 100 chars ("kN=" + 97 'v') plus one 130-char entry in the middle: 5·100 + 130 + 5 = 635.
        func entry(_ key: String, length: Int) -> (key: String, value: String) {
            (key: key, value: String(repeating: "v", count: length - key.count - 1))
        }
        var members = (0..<5).map { entry("k\($0)", length: 100) }
        members.insert(entry("long", length: 130), at: 2)
        let value = TraceContextPropagator.headerValue(for: TraceState(members: members))
        // Dropping the long entry leaves 5·100 + 4 = 504 ≤ 512, so every short entry survives.
        XCTAssertEqual(value.split(separator: ",").map { String($0.prefix(2)) }, ["k0", "k1", "k2", "k3", "k4"])
        XCTAssertLessThanOrEqual(value.utf8.count, 512)

        let many = (0..<10).map { entry("m\($0)", length: 100) }  // 1009 chars, no long entries
        let truncated = TraceContextPropagator.headerValue(for: TraceState(members: many))
        XCTAssertEqual(truncated.split(separator: ",").count, 5, "whole entries removed from the end")
        XCTAssertTrue(truncated.hasPrefix("m0="))

        let exact = TraceState(members: [entry("a", length: 256), entry("b", length: 255)])  // 256 + 1 + 255 = 512
        XCTAssertEqual(TraceContextPropagator.headerValue(for: exact).utf8.count, 512)
    }

    func test_inject_writesVersion00WithKnownFlagsOnly() {
        var carrier: [String: String] = [:]
        var state = TraceState()
        state.set("congo", "t61rcWkgMzE")
        let context = SpanContext(
            traceID: traceID, spanID: spanID, traceFlags: TraceFlags(rawValue: 0xFF), traceState: state
        )
        propagator.inject(context, baggage: nil, into: &carrier)
        XCTAssertEqual(carrier["traceparent"], "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03")
        XCTAssertEqual(carrier["tracestate"], "congo=t61rcWkgMzE")
    }

    func test_inject_invalidContext_writesNothing() {
        var carrier: [String: String] = [:]
        propagator.inject(.invalid, baggage: nil, into: &carrier)
        propagator.inject(nil, baggage: nil, into: &carrier)
        XCTAssertTrue(carrier.isEmpty)
    }

    func test_roundTrip_futureVersionContinuedAsVersion00() {
        let incoming = "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03-extra"
        let context = extract([("traceparent", incoming)])!
        var carrier = HeaderFieldList()
        propagator.inject(context, baggage: nil, into: &carrier)
        XCTAssertEqual(carrier["traceparent"], "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03")
    }

    func test_traceparentString_matchesWriter() {
        let context = SpanContext(traceID: traceID, spanID: spanID, traceFlags: .sampled)
        XCTAssertEqual(
            TraceContextPropagator.traceparent(for: context), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        )
        XCTAssertEqual(TraceContextPropagator.parseTraceparent(TraceContextPropagator.traceparent(for: context))?.traceID, traceID)
    }
}
