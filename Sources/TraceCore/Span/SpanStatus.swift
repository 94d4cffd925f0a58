/// The outcome of a span (OpenTelemetry Trace API §Set Status).
public enum SpanStatus: Sendable, Hashable {
    /// No status was set (the default).
    case unset
    /// The operation was explicitly marked successful; final once set.
    case ok
    /// The operation failed; `description` is shown to users.
    case error(description: String)

    /// The OTLP `Status.StatusCode` number (UNSET=0, OK=1, ERROR=2).
    @inlinable
    public var otlpCode: Int {
        switch self {
        case .unset: return 0
        case .ok: return 1
        case .error: return 2
        }
    }
}
