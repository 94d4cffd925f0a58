/// The part of a span that crosses process boundaries: trace id, span id, flags and trace state.
///
/// OpenTelemetry Trace API §SpanContext. `isRemote` is true when the context was extracted from a request.
public struct SpanContext: Sendable, Equatable {
    /// The trace this span belongs to.
    public var traceID: TraceID
    /// This span's id (in an extracted context: the caller's span, i.e. our parent).
    public var spanID: SpanID
    /// Sampled and random flags.
    public var traceFlags: TraceFlags
    /// Vendor data propagated with the context.
    public var traceState: TraceState
    /// Whether the context came from another process via a propagator.
    public var isRemote: Bool

    /// Creates a span context.
    @inlinable
    public init(
        traceID: TraceID,
        spanID: SpanID,
        traceFlags: TraceFlags = [],
        traceState: TraceState = TraceState(),
        isRemote: Bool = false
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.traceFlags = traceFlags
        self.traceState = traceState
        self.isRemote = isRemote
    }

    /// The invalid context (zero ids), used by non-recording spans that have nothing to propagate.
    public static let invalid = SpanContext(traceID: .invalid, spanID: .invalid)

    /// Whether both ids are non-zero (OpenTelemetry Trace API §IsValid).
    @inlinable
    public var isValid: Bool { traceID.isValid && spanID.isValid }

    /// Whether the sampled flag is set.
    @inlinable
    public var isSampled: Bool { traceFlags.contains(.sampled) }
}
