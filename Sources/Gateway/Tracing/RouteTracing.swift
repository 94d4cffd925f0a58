import TraceCore

/// Per-route tracing options from the `routes:` table.
public struct RouteTracing: Sendable, Equatable {
    /// What happens to the caller's trace context headers (nginx-otel's `otel_trace_context`).
    public enum Propagation: String, Sendable, CaseIterable {
        /// Continue the caller's trace and send our context to the backend (default).
        case propagate
        /// Continue the caller's trace; pass the caller's headers to the backend unchanged.
        case extract
        /// Ignore the caller's context (new trace) and send ours, replacing the caller's headers.
        case inject
        /// Neither: new trace, caller's headers passed on unchanged.
        case ignore

        var extracts: Bool { self == .propagate || self == .extract }
        var injects: Bool { self == .propagate || self == .inject }
    }

    /// An extra span attribute: a constant or the value of a request header.
    public enum ExtraAttribute: Sendable, Equatable {
        /// `key: value`.
        case constant(key: String, value: String)
        /// `key: header:<name>` — the request header's value, when present (never a redacted header).
        case requestHeader(key: String, header: String)
    }

    /// Whether requests on this route are traced (`tracing: false` makes `/health` untraced).
    public var enabled: Bool
    /// The route's sampling ratio (parent-based), or nil for the global sampler.
    public var samplingRatio: Double?
    /// Propagation mode (default `propagate`).
    public var propagation: Propagation
    /// Trust the caller's context on this route (nil: the global `trust_incoming_trace`).
    public var trustIncoming: Bool?
    /// Span name instead of `{method} {route}`.
    public var spanName: String?
    /// Extra attributes.
    public var attributes: [ExtraAttribute]
    /// Send the response trace header on this route (nil: the global setting).
    public var responseTraceHeader: Bool?

    /// The defaults: traced, global sampler and trust, propagate, no extras.
    public static let `default` = RouteTracing(
        enabled: true, samplingRatio: nil, propagation: .propagate, trustIncoming: nil, spanName: nil, attributes: [],
        responseTraceHeader: nil)
}
