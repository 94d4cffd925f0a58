/// Decides whether a new span is recorded and sampled (OpenTelemetry SDK §Sampler).
///
/// Called once per span start on the request path, so implementations compute thresholds at init and do no
/// allocation. Hot-path callers hold a `ConfiguredSampler` (closed enum) rather than `any Sampler`.
public protocol Sampler: Sendable {
    /// Returns the decision for a span about to start (OpenTelemetry SDK §ShouldSample).
    ///
    /// - Parameters:
    ///   - parent: the parent's context, or nil (or an invalid context) for a root span.
    ///   - traceID: the new span's trace id (the parent's, or a fresh one for a root).
    ///   - name: the span name.
    ///   - kind: the span kind.
    ///   - attributes: attributes known at start.
    func shouldSample(
        parent: SpanContext?,
        traceID: TraceID,
        name: String,
        kind: SpanKind,
        attributes: SpanAttributeList
    ) -> SamplingResult

    /// A short name with parameters, e.g. `TraceIdRatioBased{0.25}` (§GetDescription).
    var description: String { get }
}
