/// Where exporters report what an operator should see (partial success, permanent refusals, retries given up).
///
/// A plain closure so TraceExport needs no logging package: the gateway passes one that writes through
/// swift-log. Called on the export thread, never on a request path.
public typealias ExportDiagnostics = @Sendable (_ level: ExportDiagnosticLevel, _ message: String) -> Void

/// The severity of an exporter diagnostic.
public enum ExportDiagnosticLevel: Sendable {
    /// Worth a look (partial success, a retry).
    case warning
    /// Spans were lost.
    case error
}
