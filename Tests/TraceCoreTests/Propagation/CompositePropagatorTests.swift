import XCTest

@testable import TraceCore

final class CompositePropagatorTests: XCTestCase {
    func test_otelPropagators_parsesNames() throws {
        XCTAssertEqual(try CompositePropagator(otelPropagators: ""), .default)
        XCTAssertEqual(try CompositePropagator(otelPropagators: "tracecontext,baggage"), .default)
        XCTAssertEqual(
            try CompositePropagator(otelPropagators: " B3 , b3multi,tracecontext,b3").propagators,
            [.b3(B3Propagator(encoding: .single)), .b3(B3Propagator(encoding: .multiple)),
                .traceContext(TraceContextPropagator())]
        )
        XCTAssertEqual(try CompositePropagator(otelPropagators: "none").propagators, [])
    }

    func test_otelPropagators_unknownName_throwsNamingIt() {
        XCTAssertThrowsError(try CompositePropagator(otelPropagators: "tracecontext,jaeger")) { error in
            guard case .invalidValue(let key, let value, let allowed) = error as? ConfigurationError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(key, "OTEL_PROPAGATORS")
            XCTAssertEqual(value, "jaeger")
            XCTAssertEqual(allowed, CompositePropagator.allowedNames)
        }
        XCTAssertThrowsError(try CompositePropagator(otelPropagators: "none,b3"))
    }

    func test_default_extractsContextAndBaggage_andInjectsBoth() {
        let incoming = HeaderFieldList([
            ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            ("tracestate", "congo=t61rcWkgMzE"), ("baggage", "user=alice"),
        ])
        let extracted = CompositePropagator.default.extract(from: incoming)
        XCTAssertEqual(extracted.spanContext?.traceState["congo"], "t61rcWkgMzE")
        XCTAssertEqual(extracted.baggage?["user"], "alice")

        var outgoing = HeaderFieldList()
        CompositePropagator.default.inject(extracted.spanContext, baggage: extracted.baggage, into: &outgoing)
        XCTAssertEqual(outgoing.fields.map(\.name), ["traceparent", "tracestate", "baggage"])
        XCTAssertEqual(outgoing["traceparent"], "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    }

    func test_laterPropagatorWins_whenBothFindContext() throws {
        let composite = try CompositePropagator(otelPropagators: "tracecontext,b3")
        let extracted = composite.extract(
            from: HeaderFieldList([
                ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                ("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"),
            ])
        )
        XCTAssertEqual(extracted.spanContext?.traceID.hexString, "80f198ee56343ba864fe8b2a57d3eff7")
        XCTAssertEqual(composite.fields.count, 8)
    }
}
