/// The outcome of one `SpanExporter.export` call (OpenTelemetry SDK §SpanExporter Export: Success / Failure).
public enum ExportResult: Sendable, Hashable {
    /// The batch was delivered.
    case success
    /// The batch was not delivered; `retryable` says whether trying the same batch again may succeed
    /// (e.g. connection refused or HTTP 503, but not HTTP 400).
    case failure(reason: String, retryable: Bool)
}
