import TraceCore
import XCTest

@testable import TraceEncoding

/// OTLP protobuf compared byte for byte with opentelemetry-proto's official encoder (Fixtures/generate.py).
final class OTLPProtobufEncoderTests: XCTestCase {
    func test_encode_goldenBatch_matchesOfficialEncoderBytes() throws {
        let ours = OTLPProtobufEncoder(resource: SampleSpans.resource).encode(SampleSpans.batch())
        let golden = try Golden.bytes("otlp.bin")
        XCTAssertEqual(ours, golden, Golden.firstDifference(ours, golden))
    }

    func test_encode_typicalServerSpan_matchesOfficialEncoderBytes() throws {
        let ours = OTLPProtobufEncoder(resource: SampleSpans.resource).encode([SampleSpans.server()])
        let golden = try Golden.bytes("otlp_server.bin")
        XCTAssertEqual(ours, golden, Golden.firstDifference(ours, golden))
    }

    func test_encodeInto_reusedBuffer_producesSameBytesEachBatch() {
        let encoder = OTLPProtobufEncoder(resource: SampleSpans.resource)
        let expected = encoder.encode(SampleSpans.batch())
        var buffer: [UInt8] = []
        for _ in 0..<3 {
            buffer.removeAll(keepingCapacity: true)
            encoder.encode(SampleSpans.batch(), into: &buffer)
            XCTAssertEqual(buffer, expected)
        }
    }

    func test_encodeInto_nonEmptyBuffer_appendsAfterExistingBytes() {
        let encoder = OTLPProtobufEncoder(resource: SampleSpans.resource)
        var buffer: [UInt8] = [0, 0, 0, 0, 0]  // e.g. a gRPC message prefix reserved by the caller
        encoder.encode([SampleSpans.server()], into: &buffer)
        XCTAssertEqual(Array(buffer.prefix(5)), [0, 0, 0, 0, 0])
        XCTAssertEqual(Array(buffer.dropFirst(5)), encoder.encode([SampleSpans.server()]))
    }

    func test_encode_noSpans_writesNothing() {
        XCTAssertEqual(OTLPProtobufEncoder(resource: SampleSpans.resource).encode([]), [])
    }

    func test_writer_varints_matchProtobufEncoding() {
        var w = ProtobufWriter()
        w.varint(0)
        w.varint(1)
        w.varint(127)
        w.varint(128)
        w.varint(300)
        w.varint(UInt64.max)
        XCTAssertEqual(w.bytes, [0x00, 0x01, 0x7F, 0x80, 0x01, 0xAC, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        for (value, size) in [(UInt64(0), 1), (127, 1), (128, 2), (16_383, 2), (16_384, 3), (UInt64(Int64.max), 9), (UInt64.max, 10)] {
            XCTAssertEqual(ProtobufWriter.varintSize(value), size, "\(value)")
        }
    }

    func test_writer_nestedMessageOver127Bytes_shiftsBodyForLongerLength() {
        for length in [0, 1, 127, 128, 16_383, 16_384, 2_100_000] {
            var w = ProtobufWriter()
            w.byte(0x0A)
            let start = w.beginMessage()
            w.bytes.append(contentsOf: (0..<length).map { UInt8(truncatingIfNeeded: $0) })
            w.endMessage(start)
            var expected = ProtobufWriter()
            expected.byte(0x0A)
            expected.varint(UInt64(length))
            expected.bytes.append(contentsOf: (0..<length).map { UInt8(truncatingIfNeeded: $0) })
            XCTAssertEqual(w.bytes, expected.bytes, "length \(length)")
        }
    }

    func test_encode_rootSpan_setsHasIsRemoteFlagOnly() {
        var root = SampleSpans.server()
        root.parentSpanID = nil
        XCTAssertEqual(OTLPProtobufEncoder.spanFlags(root), 0x101)
        XCTAssertEqual(OTLPProtobufEncoder.spanFlags(SampleSpans.server()), 0x01)
        let remote = SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(rawValue: 1), traceFlags: .sampled, isRemote: true)
        XCTAssertEqual(OTLPProtobufEncoder.linkFlags(remote), 0x301)
    }
}

/// The `ExportTraceServiceResponse.partial_success` reader, on responses serialized by the official classes.
final class OTLPTracePartialSuccessTests: XCTestCase {
    func test_decode_rejectedSpans_returnsCountAndMessage() throws {
        let result = try OTLPTracePartialSuccess.decode(response: Golden.bytes("partial_success_rejected.bin"))
        XCTAssertEqual(result, OTLPTracePartialSuccess(rejectedSpans: 42, errorMessage: "quota exceeded: 42 spans ✗"))
    }

    func test_decode_emptyResponse_returnsNil() throws {
        XCTAssertNil(try OTLPTracePartialSuccess.decode(response: Golden.bytes("partial_success_empty.bin")))
        XCTAssertNil(try OTLPTracePartialSuccess.decode(response: [0x0A, 0x00]))  // present but all defaults
    }

    func test_decode_warningOnly_returnsZeroRejectedWithMessage() throws {
        let result = try OTLPTracePartialSuccess.decode(response: Golden.bytes("partial_success_warning.bin"))
        XCTAssertEqual(result, OTLPTracePartialSuccess(rejectedSpans: 0, errorMessage: "deprecated attribute used"))
    }

    func test_decode_unknownFields_areSkipped() throws {
        let result = try OTLPTracePartialSuccess.decode(response: Golden.bytes("partial_success_unknown_field.bin"))
        XCTAssertEqual(result?.rejectedSpans, 42)
        // Unknown fields of every wire type inside the partial_success message too.
        let inner: [UInt8] = [0x19, 1, 2, 3, 4, 5, 6, 7, 8, 0x25, 1, 2, 3, 4, 0x2A, 2, 0x41, 0x42, 0x08, 0x05]
        XCTAssertEqual(try OTLPTracePartialSuccess.decode(response: [0x0A, UInt8(inner.count)] + inner)?.rejectedSpans, 5)
    }

    func test_decode_largeRejectedCount_readsTenByteVarint() throws {
        var w = ProtobufWriter()
        w.byte(0x08)
        w.varint(UInt64(bitPattern: Int64.max))
        let inner = w.bytes
        XCTAssertEqual(try OTLPTracePartialSuccess.decode(response: [0x0A, UInt8(inner.count)] + inner)?.rejectedSpans, Int64.max)
    }

    func test_decode_truncatedOrMalformed_throws() {
        XCTAssertThrowsError(try OTLPTracePartialSuccess.decode(response: [0x0A, 0x05, 0x08]))
        XCTAssertThrowsError(try OTLPTracePartialSuccess.decode(response: [0x0A, 0x02, 0x08]))
        XCTAssertThrowsError(try OTLPTracePartialSuccess.decode(response: [0x0A, 0x0B] + [UInt8](repeating: 0xFF, count: 11)))
        XCTAssertThrowsError(try OTLPTracePartialSuccess.decode(response: [0x08, 0x01]))  // field 1 as varint
        XCTAssertThrowsError(try OTLPTracePartialSuccess.decode(response: [0x0B]))  // group start
        XCTAssertThrowsError(try OTLPTracePartialSuccess.decode(response: [0x00]))  // field 0
    }
}

/// The per-span size bound the raw writer relies on.
final class OTLPProtobufSizeBoundTests: XCTestCase {
    func test_sizeBound_everySampleSpan_isAtLeastEncodedSize() {
        for span in SampleSpans.batch() {
            var w = ProtobufWriter()
            OTLPProtobufEncoder.withRoom(OTLPProtobufEncoder.sizeBound(span), in: &w) { r in
                let body = r.beginMessage()
                OTLPProtobufEncoder.span(span, into: &r)
                r.endMessage(body)
            }
            XCTAssertLessThanOrEqual(w.bytes.count, OTLPProtobufEncoder.sizeBound(span), span.name)
            XCTAssertGreaterThan(w.bytes.count, 0)
        }
    }

    func test_sizeBound_worstCaseValues_isAtLeastEncodedSize() {
        var a = SpanAttributeList(limits: .default)
        a.set("i", .int(-1))
        a.set("ia", .intArray([Int64](repeating: -1, count: 100)))
        a.set("sa", .stringArray([String](repeating: String(repeating: "x", count: 200), count: 100)))
        a.set("da", .doubleArray([Double](repeating: .nan, count: 50)))
        a.set("ba", .boolArray([Bool](repeating: true, count: 50)))
        a.set("", .string(""))
        let span = FinishedSpan(
            name: String(repeating: "n", count: 20_000), kind: .consumer,
            context: SpanContext(traceID: TraceID(high: .max, low: .max), spanID: SpanID(rawValue: .max), traceFlags: TraceFlags(rawValue: 0xFF),
                                 traceState: TraceState(members: [(key: "a", value: "b")])),
            parentSpanID: SpanID(rawValue: .max), startTimeUnixNano: .max, endTimeUnixNano: .max, attributes: a,
            events: [SpanEvent(name: "e", timeUnixNano: .max, attributes: a)], droppedEventsCount: .max,
            links: [SpanLink(context: SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(rawValue: 1)), attributes: a)],
            droppedLinksCount: Int(UInt32.max), status: .error(description: String(repeating: "d", count: 300)))
        var w = ProtobufWriter()
        OTLPProtobufEncoder.withRoom(OTLPProtobufEncoder.sizeBound(span), in: &w) { r in
            let body = r.beginMessage()
            OTLPProtobufEncoder.span(span, into: &r)
            r.endMessage(body)
        }
        XCTAssertLessThanOrEqual(w.bytes.count, OTLPProtobufEncoder.sizeBound(span))
    }
}
