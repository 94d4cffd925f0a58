/// Samples every span (OpenTelemetry SDK §AlwaysOn, `OTEL_TRACES_SAMPLER=always_on`).
public struct AlwaysOnSampler: Sampler, Hashable {
    /// Creates the sampler.
    public init() {}

    /// Always `recordAndSample`.
    @inlinable
    public func shouldSample(
        parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind, attributes: SpanAttributeList
    ) -> SamplingResult {
        SamplingResult(decision: .recordAndSample)
    }

    /// `AlwaysOnSampler`.
    public var description: String { "AlwaysOnSampler" }
}
