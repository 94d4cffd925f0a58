/// One of the propagators this package implements, as a closed enum so a composite dispatches statically.
public enum StandardPropagator: Propagator, Hashable {
    /// W3C `traceparent` / `tracestate` (`tracecontext`).
    case traceContext(TraceContextPropagator)
    /// W3C `baggage` (`baggage`).
    case baggage(BaggagePropagator)
    /// Zipkin B3, single (`b3`) or multiple (`b3multi`) on injection.
    case b3(B3Propagator)

    /// Extracts with the wrapped propagator.
    public func extract(from carrier: some HeaderCarrier) -> ExtractedContext {
        switch self {
        case .traceContext(let propagator): return propagator.extract(from: carrier)
        case .baggage(let propagator): return propagator.extract(from: carrier)
        case .b3(let propagator): return propagator.extract(from: carrier)
        }
    }

    /// Injects with the wrapped propagator.
    public func inject(_ context: SpanContext?, baggage: Baggage?, into carrier: inout some HeaderInjector) {
        switch self {
        case .traceContext(let propagator): propagator.inject(context, baggage: baggage, into: &carrier)
        case .baggage(let propagator): propagator.inject(context, baggage: baggage, into: &carrier)
        case .b3(let propagator): propagator.inject(context, baggage: baggage, into: &carrier)
        }
    }

    /// The wrapped propagator's fields.
    public var fields: [StaticString] {
        switch self {
        case .traceContext(let propagator): return propagator.fields
        case .baggage(let propagator): return propagator.fields
        case .b3(let propagator): return propagator.fields
        }
    }
}
