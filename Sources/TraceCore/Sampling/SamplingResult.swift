/// A sampler's decision plus optional extra span attributes and a replacement trace state
/// (OpenTelemetry SDK §ShouldSample return value).
public struct SamplingResult: Sendable, Equatable {
    /// The decision.
    public var decision: SamplingDecision
    /// Attributes the sampler adds to the span (usually none; an empty array does not allocate).
    public var attributes: [SpanAttribute]
    /// A trace state to use instead of the parent's, or nil to keep the parent's.
    public var traceState: TraceState?

    /// Creates a result.
    @inlinable
    public init(decision: SamplingDecision, attributes: [SpanAttribute] = [], traceState: TraceState? = nil) {
        self.decision = decision
        self.attributes = attributes
        self.traceState = traceState
    }

    /// `recordAndSample` with nothing else.
    public static let recordAndSample = SamplingResult(decision: .recordAndSample)
    /// `drop` with nothing else.
    public static let drop = SamplingResult(decision: .drop)
}
