import XCTest

@testable import TraceCore

final class B3PropagatorTests: XCTestCase {
    private let traceID = TraceID(hex: "80f198ee56343ba864fe8b2a57d3eff7")!
    private let spanID = SpanID(hex: "e457b5a2e4d86bd1")!

    private func extract(_ fields: [(String, String)]) -> SpanContext? {
        B3Propagator().extract(from: HeaderFieldList(fields)).spanContext
    }

    func test_extract_singleHeaderForms() {
        let full = extract([("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90")])
        XCTAssertEqual(full?.traceID, traceID)
        XCTAssertEqual(full?.spanID, spanID)
        XCTAssertEqual(full?.isSampled, true)
        XCTAssertEqual(full?.isRemote, true)

        XCTAssertEqual(extract([("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-0")])?.isSampled, false)
        XCTAssertEqual(extract([("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-d")])?.isSampled, true)
        XCTAssertEqual(extract([("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1")])?.isSampled, false)
        let short = extract([("b3", "64fe8b2a57d3eff7-e457b5a2e4d86bd1-1")])
        XCTAssertEqual(short?.traceID, TraceID(high: 0, low: 0x64fe_8b2a_57d3_eff7))
    }

    func test_extract_singleHeaderInvalid_returnsNil() {
        for header in [
            "0", "1", "d", "80f198ee56343ba864fe8b2a57d3eff7", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-x",
            "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd-1", "80f198ee56343ba864fe8b2a57d3eff-e457b5a2e4d86bd1-1",
            "00000000000000000000000000000000-e457b5a2e4d86bd1-1",
            "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-zz",
            "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90-extra",
        ] {
            XCTAssertNil(extract([("b3", header)]), header)
        }
    }

    func test_extract_multiHeaders() {
        let context = extract([
            ("X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7"), ("X-B3-SpanId", "e457b5a2e4d86bd1"),
            ("X-B3-ParentSpanId", "05e3ac9a4f6e3b90"), ("X-B3-Sampled", "1"),
        ])
        XCTAssertEqual(context?.traceID, traceID)
        XCTAssertEqual(context?.spanID, spanID)
        XCTAssertEqual(context?.isSampled, true)

        let debug = extract([
            ("x-b3-traceid", "64fe8b2a57d3eff7"), ("x-b3-spanid", "e457b5a2e4d86bd1"), ("x-b3-flags", "1"),
        ])
        XCTAssertEqual(debug?.traceID, TraceID(high: 0, low: 0x64fe_8b2a_57d3_eff7))
        XCTAssertEqual(debug?.isSampled, true)

        let notSampled = extract([
            ("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7"), ("x-b3-spanid", "e457b5a2e4d86bd1"),
            ("x-b3-sampled", "0"),
        ])
        XCTAssertEqual(notSampled?.isSampled, false)
        XCTAssertNil(extract([("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7")]), "span id is required")
        XCTAssertNil(extract([("x-b3-traceid", "xyz"), ("x-b3-spanid", "e457b5a2e4d86bd1")]))
    }

    func test_extract_singleTakesPrecedenceOverMulti() {
        let context = extract([
            ("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"),
            ("x-b3-traceid", "0000000000000000000000000000000a"), ("x-b3-spanid", "000000000000000b"),
        ])
        XCTAssertEqual(context?.traceID, traceID)
    }

    func test_roundTrip_single() {
        let context = SpanContext(traceID: traceID, spanID: spanID, traceFlags: .sampled, isRemote: true)
        var carrier: [String: String] = [:]
        B3Propagator(encoding: .single).inject(context, baggage: nil, into: &carrier)
        XCTAssertEqual(carrier, ["b3": "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"])
        XCTAssertEqual(B3Propagator().extract(from: carrier).spanContext, context)
    }

    func test_roundTrip_multi() {
        let context = SpanContext(traceID: traceID, spanID: spanID, traceFlags: [], isRemote: true)
        var carrier: [String: String] = [:]
        B3Propagator(encoding: .multiple).inject(context, baggage: nil, into: &carrier)
        XCTAssertEqual(
            carrier,
            ["x-b3-traceid": "80f198ee56343ba864fe8b2a57d3eff7", "x-b3-spanid": "e457b5a2e4d86bd1", "x-b3-sampled": "0"]
        )
        XCTAssertEqual(B3Propagator().extract(from: carrier).spanContext, context)
    }
}
