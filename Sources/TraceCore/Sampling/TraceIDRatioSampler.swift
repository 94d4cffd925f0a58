/// Samples a fixed fraction of traces, decided from the trace id alone (OpenTelemetry SDK §TraceIdRatioBased).
///
/// Same algorithm as the OpenTelemetry Go SDK, so a Go service and the gateway agree on every trace id: take bytes
/// 8...15 of the trace id as a big-endian UInt64 (`TraceID.low`), shift right by one, and sample when the result is
/// below `UInt64(ratio * 2^63)`. The threshold is computed once here; ratio ≤ 0 never samples, ≥ 1 always does.
public struct TraceIDRatioSampler: Sampler, Hashable {
    /// The configured ratio, clamped to 0...1.
    public let ratio: Double
    /// `UInt64(ratio * 2^63)`; a shifted id below it is sampled.
    public let threshold: UInt64
    /// Whether every id is sampled (ratio ≥ 1), skipping the compare.
    @usableFromInline let samplesAll: Bool

    /// Creates a sampler for `ratio` (clamped to 0...1; NaN counts as 0).
    public init(ratio: Double) {
        let clamped = ratio.isNaN ? 0 : Swift.min(Swift.max(ratio, 0), 1)
        self.ratio = clamped
        self.samplesAll = clamped >= 1
        // 2^63 = 9223372036854775808 is exact in Double; clamped < 1 keeps the product below 2^63.
        self.threshold = clamped >= 1 ? UInt64(1) << 63 : UInt64(clamped * 9_223_372_036_854_775_808.0)
    }

    /// Whether `traceID` falls under the ratio.
    @inlinable
    public func isSampled(_ traceID: TraceID) -> Bool {
        samplesAll || (traceID.low &>> 1) < threshold
    }

    /// `recordAndSample` when `isSampled(traceID)`, else `drop`.
    @inlinable
    public func shouldSample(
        parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind, attributes: SpanAttributeList
    ) -> SamplingResult {
        SamplingResult(decision: isSampled(traceID) ? .recordAndSample : .drop)
    }

    /// `TraceIdRatioBased{<ratio>}` as the specification spells it.
    public var description: String { "TraceIdRatioBased{\(ratio)}" }
}
