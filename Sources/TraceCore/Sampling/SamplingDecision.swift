/// What a sampler decided for a new span (OpenTelemetry SDK §SamplingResult).
///
/// | Decision          | `isRecording` | `sampled` flag | Exported |
/// |-------------------|---------------|----------------|----------|
/// | `drop`            | false         | unset          | no       |
/// | `recordOnly`      | true          | unset          | no       |
/// | `recordAndSample` | true          | set            | yes      |
public enum SamplingDecision: Sendable, Hashable {
    /// Do not record; the span still carries a context for propagation.
    case drop
    /// Record, but do not set the sampled flag or export.
    case recordOnly
    /// Record, set the sampled flag, and export.
    case recordAndSample
}
