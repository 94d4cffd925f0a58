

/// Runs several propagators in order (OpenTelemetry Context API §Composite Propagator).
///
/// Extraction: each propagator runs in order and a later non-nil span context or baggage replaces an earlier one,
/// as a chain of extractors over one context would. Injection: every propagator writes its own fields.
/// Built from `OTEL_PROPAGATORS` with `init(otelPropagators:)`.
public struct CompositePropagator: Propagator, Hashable {
    /// The propagators in order.
    public let propagators: [StandardPropagator]

    /// The names `init(otelPropagators:)` accepts.
    public static let allowedNames = "tracecontext, baggage, b3, b3multi, none"

    /// Creates a composite of `propagators`.
    public init(_ propagators: [StandardPropagator]) {
        self.propagators = propagators
    }

    /// The specification default, `tracecontext,baggage`.
    public static let `default` = CompositePropagator([
        .traceContext(TraceContextPropagator()), .baggage(BaggagePropagator()),
    ])

    /// Parses an `OTEL_PROPAGATORS` value: comma-separated names, whitespace and case ignored, duplicates collapsed.
    ///
    /// An empty value gives the default (`tracecontext,baggage`). `none` alone disables propagation; `none` mixed
    /// with other names, and any unknown name (including the spec's `jaeger`, `xray` and `ottrace`, which we do not
    /// implement), is an error naming it.
    public init(otelPropagators value: String) throws(ConfigurationError) {
        let names = value.split(separator: ",").map { $0.trimmingWhitespace().lowercased() }.filter { !$0.isEmpty }
        if names.isEmpty {
            self = .default
            return
        }
        if names.contains("none") {
            guard names.allSatisfy({ $0 == "none" }) else {
                throw .invalidValue(
                    key: "OTEL_PROPAGATORS", value: value, allowed: "\"none\" alone, or a list of \(Self.allowedNames)"
                )
            }
            self.init([])
            return
        }
        var propagators: [StandardPropagator] = []
        var seen: Set<String> = []
        for name in names where seen.insert(name).inserted {
            switch name {
            case "tracecontext": propagators.append(.traceContext(TraceContextPropagator()))
            case "baggage": propagators.append(.baggage(BaggagePropagator()))
            case "b3": propagators.append(.b3(B3Propagator(encoding: .single)))
            case "b3multi": propagators.append(.b3(B3Propagator(encoding: .multiple)))
            default:
                throw .invalidValue(key: "OTEL_PROPAGATORS", value: name, allowed: Self.allowedNames)
            }
        }
        self.init(propagators)
    }

    /// Runs every extractor in order; later findings replace earlier ones.
    public func extract(from carrier: some HeaderCarrier) -> ExtractedContext {
        var result = ExtractedContext()
        for propagator in propagators {
            let found = propagator.extract(from: carrier)
            if let spanContext = found.spanContext { result.spanContext = spanContext }
            if let baggage = found.baggage { result.baggage = baggage }
        }
        return result
    }

    /// Runs every injector.
    public func inject(_ context: SpanContext?, baggage: Baggage?, into carrier: inout some HeaderInjector) {
        for propagator in propagators { propagator.inject(context, baggage: baggage, into: &carrier) }
    }

    /// The union of the propagators' fields, in order.
    public var fields: [StaticString] {
        propagators.flatMap(\.fields)
    }
}
