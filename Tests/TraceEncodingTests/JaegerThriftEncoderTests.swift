import TraceCore
import XCTest

@testable import TraceEncoding

/// Jaeger Thrift compared byte for byte with the official generated ttypes written by TBinaryProtocol.
final class JaegerThriftEncoderTests: XCTestCase {
    func test_encode_goldenBatch_matchesOfficialThriftBytes() throws {
        let ours = JaegerThriftEncoder(resource: SampleSpans.resource).encode(SampleSpans.batch())
        let golden = try Golden.bytes("jaeger.bin")
        XCTAssertEqual(ours, golden, Golden.firstDifference(ours, golden))
    }

    func test_encode_typicalServerSpan_matchesOfficialThriftBytes() throws {
        let ours = JaegerThriftEncoder(resource: SampleSpans.resource).encode([SampleSpans.server()])
        let golden = try Golden.bytes("jaeger_server.bin")
        XCTAssertEqual(ours, golden, Golden.firstDifference(ours, golden))
    }

    func test_encodeInto_reusedBuffer_producesSameBytesEachBatch() {
        let encoder = JaegerThriftEncoder(resource: SampleSpans.resource)
        let expected = encoder.encode(SampleSpans.batch())
        var buffer: [UInt8] = []
        for _ in 0..<3 {
            buffer.removeAll(keepingCapacity: true)
            encoder.encode(SampleSpans.batch(), into: &buffer)
            XCTAssertEqual(buffer, expected)
        }
    }

    func test_init_resourceWithoutServiceName_usesUnknownService() {
        let bytes = JaegerThriftEncoder(resource: Resource()).encode([])
        // Batch.process: struct field 1 { string field 1 "unknown_service", STOP }, spans: list field 2 of 0 structs.
        let name = Array("unknown_service".utf8)
        XCTAssertEqual(bytes, [12, 0, 1, 11, 0, 1, 0, 0, 0, UInt8(name.count)] + name + [0, 15, 0, 2, 12, 0, 0, 0, 0, 0])
    }

    func test_encode_randomTraceFlag_isNotSentAsJaegerDebug() {
        var span = SampleSpans.server()
        span.context.traceFlags = [.random]
        let bytes = JaegerThriftEncoder(resource: Resource()).encode([span])
        // Span.flags is field 7 (i32); it must be 0 for an unsampled span even with the random bit.
        let header: [UInt8] = [8, 0, 7]
        let at = bytes.indices.first { bytes[$0..<min(bytes.count, $0 + 3)].elementsEqual(header) }
        XCTAssertNotNil(at)
        if let at { XCTAssertEqual(Array(bytes[(at + 3)..<(at + 7)]), [0, 0, 0, 0]) }
    }
}

/// The per-span size bound the raw Thrift writer relies on.
final class JaegerThriftSizeBoundTests: XCTestCase {
    func test_sizeBound_sampleAndWorstCaseSpans_isAtLeastEncodedSize() {
        var a = SpanAttributeList(limits: .default)
        a.set("ia", .intArray([Int64](repeating: Int64.min, count: 100)))
        a.set("sa", .stringArray([String](repeating: String(repeating: "\u{01}", count: 200), count: 10)))
        a.set("da", .doubleArray([-1.2345678901234567e-300, .nan, -.infinity]))
        a.set("ba", .boolArray([false, true]))
        a.set("error", true)
        var e = SpanAttributeList(limits: AttributeLimits(countLimit: 1))
        e.set("event", "override")
        e.set("dropped", "x")
        let worst = FinishedSpan(
            name: "w", kind: .producer,
            context: SpanContext(traceID: TraceID(high: .max, low: .max), spanID: SpanID(rawValue: .max)),
            parentSpanID: SpanID(rawValue: 1), startTimeUnixNano: 0, endTimeUnixNano: .max, attributes: a,
            events: [SpanEvent(name: "e", timeUnixNano: .max, attributes: e)], droppedEventsCount: Int(Int32.max),
            links: [SpanLink(context: SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(rawValue: 1)))],
            droppedLinksCount: Int.max, status: .error(description: "d"),
            scope: InstrumentationScope(name: "scope", version: "1"))
        for span in SampleSpans.batch() + [worst] {
            var bytes: [UInt8] = []
            ThriftBinaryWriter.withRoom(JaegerThriftEncoder.sizeBound(span), in: &bytes) { w in JaegerThriftEncoder.span(span, into: &w) }
            XCTAssertLessThanOrEqual(bytes.count, JaegerThriftEncoder.sizeBound(span), span.name)
        }
    }
}
