/// Samples no span (OpenTelemetry SDK §AlwaysOff, `OTEL_TRACES_SAMPLER=always_off`).
public struct AlwaysOffSampler: Sampler, Hashable {
    /// Creates the sampler.
    public init() {}

    /// Always `drop`.
    @inlinable
    public func shouldSample(
        parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind, attributes: SpanAttributeList
    ) -> SamplingResult {
        SamplingResult(decision: .drop)
    }

    /// `AlwaysOffSampler`.
    public var description: String { "AlwaysOffSampler" }
}
