import TraceCore
import XCTest

@testable import TraceEncoding

/// Zipkin v2 JSON compared byte for byte with the generator's spec-driven output.
final class ZipkinJSONEncoderTests: XCTestCase {
    func test_encode_goldenBatch_matchesGeneratedJSON() throws {
        let ours = ZipkinJSONEncoder(resource: SampleSpans.resource).encode(SampleSpans.batch())
        let golden = try Golden.bytes("zipkin.json")
        XCTAssertEqual(String(decoding: ours, as: UTF8.self), String(decoding: golden, as: UTF8.self), Golden.firstDifference(ours, golden))
    }

    func test_encode_typicalServerSpan_matchesGeneratedJSON() throws {
        let ours = ZipkinJSONEncoder(resource: SampleSpans.resource).encode([SampleSpans.server()])
        let golden = try Golden.bytes("zipkin_server.json")
        XCTAssertEqual(String(decoding: ours, as: UTF8.self), String(decoding: golden, as: UTF8.self))
    }

    func test_encode_goldenBatch_isValidJSONForFoundation() throws {
        let ours = ZipkinJSONEncoder(resource: SampleSpans.resource).encode(SampleSpans.batch())
        let parsed = try JSONSerialization.jsonObject(with: Data(ours)) as? [[String: Any]]
        XCTAssertEqual(parsed?.count, 5)
        XCTAssertEqual(parsed?[2]["kind"] as? String, "CLIENT")
        XCTAssertEqual((parsed?[2]["remoteEndpoint"] as? [String: Any])?["ipv4"] as? String, "127.0.0.1")
    }

    func test_encode_noSpans_writesEmptyArray() {
        XCTAssertEqual(String(decoding: ZipkinJSONEncoder(resource: Resource()).encode([]), as: UTF8.self), "[]")
    }

    func test_encode_subMicrosecondSpan_hasDurationOne() {
        let span = FinishedSpan(
            name: "x", kind: .internal, context: SpanContext(traceID: TraceID(high: 0, low: 1), spanID: SpanID(rawValue: 1)),
            parentSpanID: nil, startTimeUnixNano: 5_000, endTimeUnixNano: 5_400, scope: InstrumentationScope(name: ""))
        let json = String(decoding: ZipkinJSONEncoder(resource: Resource()).encode([span]), as: UTF8.self)
        XCTAssertEqual(
            json,
            #"[{"traceId":"00000000000000000000000000000001","id":"0000000000000001","name":"x","timestamp":5,"duration":1,"localEndpoint":{"serviceName":"unknown_service"}}]"#)
    }

    func test_doubleTags_areTheirShortestTextInStrings() throws {
        let doubles: [Double] = [4.1e-05, 0.25, 3.0, -12.5, 1e-300, .nan, .infinity, -.infinity]
        var attributes = SpanAttributeList(limits: .default)
        for (index, value) in doubles.enumerated() { attributes.set("d\(index)", .double(value)) }
        let span = FinishedSpan(
            name: "x", kind: .internal, context: SpanContext(traceID: TraceID(high: 0, low: 1), spanID: SpanID(rawValue: 1)),
            parentSpanID: nil, startTimeUnixNano: 5_000, endTimeUnixNano: 6_000, attributes: attributes,
            scope: InstrumentationScope(name: ""))
        let parsed = try JSONSerialization.jsonObject(with: Data(ZipkinJSONEncoder(resource: Resource()).encode([span])))
        let tags = try XCTUnwrap(((parsed as? [[String: Any]])?.first?["tags"]) as? [String: String])
        let expected = ["4.1e-05", "0.25", "3.0", "-12.5", "1e-300", "NaN", "Infinity", "-Infinity"]
        for (index, text) in expected.enumerated() { XCTAssertEqual(tags["d\(index)"], text) }
    }

    func test_ipLiteral_kinds() {
        XCTAssertEqual(IPLiteral.kind("127.0.0.1"), .v4)
        XCTAssertEqual(IPLiteral.kind("255.255.255.255"), .v4)
        XCTAssertNil(IPLiteral.kind("256.1.1.1"))
        XCTAssertNil(IPLiteral.kind("1.2.3"))
        XCTAssertNil(IPLiteral.kind("backend.internal"))
        XCTAssertNil(IPLiteral.kind("cafe.de"))
        XCTAssertEqual(IPLiteral.kind("::1"), .v6)
        XCTAssertEqual(IPLiteral.kind("2001:db8::ff00:42:8329"), .v6)
        XCTAssertEqual(IPLiteral.kind("::ffff:192.0.2.1"), .v6)
    }
}

/// The per-span size bound the raw JSON writer relies on.
final class ZipkinJSONSizeBoundTests: XCTestCase {
    func test_sizeBound_sampleAndEscapeHeavySpans_isAtLeastEncodedSize() {
        let ctl = String(repeating: "\u{01}\"\\", count: 50)
        var a = SpanAttributeList(limits: .default)
        a.set(ctl, .string(ctl))
        a.set("sa", .stringArray([ctl, ctl]))
        a.set("ia", .intArray([Int64.min, Int64.max]))
        a.set("da", .doubleArray([-1.2345678901234567e-300, .nan, -.infinity]))
        a.set("d", .double(-1.2345678901234567e-300))
        a.set("ba", .boolArray([false, true]))
        a.set("i", .int(Int64.min))
        a.set("server.address", .string(ctl))
        a.set("network.peer.address", "::1")
        a.set("network.peer.port", .int(Int64.min))
        var e = SpanAttributeList(limits: .default)
        e.set(ctl, .stringArray([ctl]))
        e.set("d", .double(.nan))
        let worst = FinishedSpan(
            name: ctl, kind: .client,
            context: SpanContext(traceID: TraceID(high: .max, low: .max), spanID: SpanID(rawValue: .max)),
            parentSpanID: SpanID(rawValue: 1), startTimeUnixNano: .max, endTimeUnixNano: 0, attributes: a,
            events: [SpanEvent(name: ctl, timeUnixNano: .max, attributes: e), SpanEvent(name: ctl, timeUnixNano: 0)],
            droppedEventsCount: Int.max, droppedLinksCount: Int.max, status: .error(description: ctl),
            scope: InstrumentationScope(name: ctl, version: ctl))
        let encoder = ZipkinJSONEncoder(resource: Resource())
        for span in SampleSpans.batch() + [worst] {
            var bytes: [UInt8] = []
            var first = false
            JSONRawWriter.withRoom(encoder.sizeBound(span), in: &bytes) { w in
                w.comma(&first)
                encoder.span(span, into: &w)
            }
            XCTAssertLessThanOrEqual(bytes.count, encoder.sizeBound(span))
        }
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(encoder.encode([worst]))))
    }
}
