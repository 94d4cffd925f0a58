/// Reads and writes trace context and baggage in request headers (OpenTelemetry Context API §Propagators,
/// TextMapPropagator).
///
/// Generic over the carrier so the gateway's header views are used in place (static dispatch, no dictionary).
public protocol Propagator: Sendable {
    /// Extracts what this propagator understands; fields it does not handle stay nil.
    func extract(from carrier: some HeaderCarrier) -> ExtractedContext
    /// Writes `context` (when valid) and `baggage` (when present and handled) into `carrier`.
    func inject(_ context: SpanContext?, baggage: Baggage?, into carrier: inout some HeaderInjector)
    /// The header names this propagator reads and writes, lowercase (§Fields).
    var fields: [StaticString] { get }
}

/// What propagators found in a request.
public struct ExtractedContext: Sendable, Equatable {
    /// The caller's span context (`isRemote == true`), or nil if absent or malformed.
    public var spanContext: SpanContext?
    /// The caller's baggage, or nil if absent.
    public var baggage: Baggage?

    /// Creates an extracted context.
    @inlinable
    public init(spanContext: SpanContext? = nil, baggage: Baggage? = nil) {
        self.spanContext = spanContext
        self.baggage = baggage
    }

    /// Nothing found.
    public static let empty = ExtractedContext()
}
