import TraceCore
import XCTest

@testable import TraceEncoding

/// OTLP/JSON as the specification encodes it: hex ids, integer enums, lowerCamelCase keys, 64-bit integers as strings.
final class OTLPJSONEncoderTests: XCTestCase {
    static let traceID = TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736)
    static let spanID = SpanID(rawValue: 0x00f0_67aa_0ba9_02b7)
    static let parentID = SpanID(rawValue: 0x1122_3344_5566_7788)

    static func sampleSpan() -> FinishedSpan {
        var attributes = SpanAttributeList(limits: .default)
        attributes.set("http.request.method", "GET")
        attributes.set("http.response.status_code", .int(200))
        attributes.set("flag", .bool(true))
        attributes.set("ratio", .double(0.25))
        attributes.set("tags", .stringArray(["a", "b\"c"]))
        attributes.set("counts", .intArray([1, -2]))
        var eventAttributes = SpanAttributeList(limits: .default)
        eventAttributes.set("exception.type", "Timeout")
        let link = SpanLink(context: SpanContext(traceID: TraceID(high: 1, low: 2), spanID: SpanID(rawValue: 3), traceFlags: .sampled))
        return FinishedSpan(
            name: "GET /jobs/{id}",
            kind: .server,
            context: SpanContext(traceID: traceID, spanID: spanID, traceFlags: [.sampled], traceState: TraceState(members: [(key: "vendor", value: "x=1")])),
            parentSpanID: parentID,
            startTimeUnixNano: 1_764_000_000_123_456_789,
            endTimeUnixNano: 1_764_000_000_223_456_789,
            attributes: attributes,
            events: [SpanEvent(name: "exception", timeUnixNano: 1_764_000_000_200_000_000, attributes: eventAttributes)],
            links: [link],
            status: .error(description: "backend timeout"),
            scope: InstrumentationScope(name: "tracegw", version: "0.1.0")
        )
    }

    func test_encode_sampleSpan_matchesGoldenJSON() {
        var resourceAttributes = SpanAttributeList(limits: .default)
        resourceAttributes.set("service.name", "tracegw")
        let encoder = OTLPJSONEncoder(resource: Resource(attributes: resourceAttributes))
        let json = String(decoding: encoder.encode([Self.sampleSpan()]), as: UTF8.self)
        let expected = #"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"tracegw"}}]},"#
            + #""scopeSpans":[{"scope":{"name":"tracegw","version":"0.1.0"},"spans":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","#
            + #""spanId":"00f067aa0ba902b7","traceState":"vendor=x=1","parentSpanId":"1122334455667788","flags":1,"#
            + #""name":"GET /jobs/{id}","kind":2,"startTimeUnixNano":"1764000000123456789","endTimeUnixNano":"1764000000223456789","#
            + #""attributes":[{"key":"http.request.method","value":{"stringValue":"GET"}},"#
            + #"{"key":"http.response.status_code","value":{"intValue":"200"}},{"key":"flag","value":{"boolValue":true}},"#
            + #"{"key":"ratio","value":{"doubleValue":0.25}},"#
            + #"{"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"stringValue":"b\"c"}]}}},"#
            + #"{"key":"counts","value":{"arrayValue":{"values":[{"intValue":"1"},{"intValue":"-2"}]}}}],"#
            + #""events":[{"timeUnixNano":"1764000000200000000","name":"exception","attributes":[{"key":"exception.type","value":{"stringValue":"Timeout"}}]}],"#
            + #""links":[{"traceId":"00000000000000010000000000000002","spanId":"0000000000000003","flags":257}],"#
            + #""status":{"message":"backend timeout","code":2}}]}]}]}"#
        XCTAssertEqual(json, expected)
    }

    func test_encode_rootSpanWithDefaults_omitsDefaultFields() {
        let span = FinishedSpan(
            name: "GET", kind: .client,
            context: SpanContext(traceID: Self.traceID, spanID: Self.spanID),
            parentSpanID: nil, startTimeUnixNano: 1, endTimeUnixNano: 2)
        let json = String(decoding: OTLPJSONEncoder(resource: Resource()).encode([span]), as: UTF8.self)
        XCTAssertFalse(json.contains("parentSpanId"))
        XCTAssertFalse(json.contains("traceState"))
        XCTAssertFalse(json.contains("status"))
        XCTAssertTrue(json.contains(#""flags":256"#))  // root span: is-remote known (bit 8), parent not remote
        XCTAssertTrue(json.contains(#""kind":3"#))
    }

    func test_encode_spansOfTwoScopes_groupsThemInOrder() {
        var a = Self.sampleSpan()
        a.scope = InstrumentationScope(name: "a")
        var b = Self.sampleSpan()
        b.scope = InstrumentationScope(name: "b")
        let json = String(decoding: OTLPJSONEncoder(resource: Resource()).encode([a, b, a]), as: UTF8.self)
        XCTAssertEqual(json.components(separatedBy: #""scope":{"name":"a"}"#).count, 2)
        XCTAssertEqual(json.components(separatedBy: #""scope":{"name":"b"}"#).count, 2)
        XCTAssertEqual(json.components(separatedBy: #""spanId""#).count - 1, 3 + 3)
    }

    func test_jsonWriter_controlCharactersAndNonFiniteDoubles_areEscaped() {
        var w = JSONWriter()
        w.string("a\u{01}\n\t\\\"é")
        w.double(.nan)
        w.double(-.infinity)
        w.double(1e300)
        w.integer(Int64.min)
        XCTAssertEqual(String(decoding: w.bytes, as: UTF8.self), #""a\u0001\n\t\\\"é""NaN""-Infinity"1e+300-9223372036854775808"#)
    }
}

/// The per-span size bound of the raw JSON path, and the golden batch as valid JSON.
final class OTLPJSONSizeBoundTests: XCTestCase {
    func test_sizeBound_sampleAndEscapeHeavySpans_isAtLeastEncodedSize() {
        let ctl = String(repeating: "\u{01}\"\\", count: 50)
        var a = SpanAttributeList(limits: AttributeLimits(countLimit: 8))
        a.set(ctl, .string(ctl))
        a.set("sa", .stringArray([ctl, ctl]))
        a.set("ia", .intArray([Int64.min, Int64.max]))
        a.set("da", .doubleArray([-1.2345678901234567e-300, .nan, -.infinity, 1e300]))
        a.set("ba", .boolArray([false, true]))
        a.set("i", .int(Int64.min))
        a.set("d", .double(-1.2345678901234567e-300))
        a.set("b", .bool(false))
        a.set("dropped", "x")
        let state = TraceState(members: [(key: ctl, value: ctl)])
        let worst = FinishedSpan(
            name: ctl, kind: .client,
            context: SpanContext(traceID: TraceID(high: .max, low: .max), spanID: SpanID(rawValue: .max), traceFlags: TraceFlags(rawValue: 0xFF), traceState: state),
            parentSpanID: SpanID(rawValue: 1), startTimeUnixNano: .max, endTimeUnixNano: .max, attributes: a,
            events: [SpanEvent(name: ctl, timeUnixNano: .max, attributes: a)], droppedEventsCount: Int.max,
            links: [SpanLink(context: SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(rawValue: 1), traceFlags: .sampled, traceState: state), attributes: a)],
            droppedLinksCount: Int.max, status: .error(description: ctl),
            scope: InstrumentationScope(name: ctl, version: ctl))
        for span in SampleSpans.batch() + [worst] {
            var bytes: [UInt8] = []
            var first = false
            JSONRawWriter.withRoom(OTLPJSONEncoder.sizeBound(span), in: &bytes) { w in
                w.comma(&first)
                OTLPJSONEncoder.span(span, into: &w)
            }
            XCTAssertLessThanOrEqual(bytes.count, OTLPJSONEncoder.sizeBound(span))
        }
        let encoder = OTLPJSONEncoder(resource: SampleSpans.resource)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(encoder.encode([worst]))))
        let batch = try? JSONSerialization.jsonObject(with: Data(encoder.encode(SampleSpans.batch()))) as? [String: Any]
        let scopes = (batch?["resourceSpans"] as? [[String: Any]])?.first?["scopeSpans"] as? [[String: Any]]
        XCTAssertEqual(scopes?.count, 2)
        XCTAssertEqual(scopes?.map { ($0["spans"] as? [Any])?.count ?? 0 }, [3, 2])
    }
}

/// OTLP/JSON compared, as parsed JSON, with protobuf's json_format output for the golden batch (ids turned to hex).
final class OTLPJSONGoldenTests: XCTestCase {
    func test_encode_goldenBatch_equalsOfficialJSONMapping() throws {
        let ours = OTLPJSONEncoder(resource: SampleSpans.resource).encode(SampleSpans.batch())
        let golden = try Golden.bytes("otlp.json")
        let oursObject = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ours)) as? NSDictionary)
        let goldenObject = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(golden)) as? NSDictionary)
        XCTAssertEqual(oursObject, goldenObject)
        if oursObject != goldenObject {
            print("ours:   " + String(decoding: ours, as: UTF8.self).prefix(3000))
            print("golden: " + String(decoding: golden, as: UTF8.self).prefix(3000))
        }
    }
}
