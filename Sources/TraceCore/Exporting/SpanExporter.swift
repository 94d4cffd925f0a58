/// Sends finished spans to a backend (OpenTelemetry SDK §Span Exporter).
///
/// Called only from a processor's export thread, never concurrently for one exporter, so implementations may keep
/// connection state without locking against `export` itself. `export` may block that thread up to the exporter's own
/// timeout; it must not retain `batch` beyond the call. Exporters receive the `Resource` at init, not per call.
public protocol SpanExporter: AnyObject, Sendable {
    /// Exports one batch and reports the outcome; must return by the exporter's timeout.
    func export(_ batch: [FinishedSpan]) -> ExportResult
    /// Delivers anything the exporter itself buffers (most exporters buffer nothing).
    func forceFlush()
    /// Releases resources; later `export` calls return a non-retryable failure.
    func shutdown()
}
