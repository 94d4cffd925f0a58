import Synchronization
import TraceCore
import TraceEncoding

/// Exports batches with one HTTP POST each: OTLP/HTTP (protobuf or JSON), Jaeger Thrift over HTTP, Zipkin v2 JSON.
///
/// The body is encoded once per batch into a reused buffer, gzip-compressed when asked, and delivered with
/// retries (429, 502, 503, 504 and transport failures, honouring Retry-After) within the export timeout. A 2xx
/// OTLP response is checked for `partial_success`, which is logged and never retried (OTLP spec, "Partial
/// Success"). `@unchecked Sendable`: `body`, `compressor` and the client's per-thread state are used only from the
/// batch processor's export thread, which calls `export` serially; `isShutDown` is atomic.
public final class HTTPSpanExporter: SpanExporter, @unchecked Sendable {
    /// How to read a successful response.
    public enum ResponseKind: Sendable {
        /// An OTLP `ExportTraceServiceResponse` (protobuf or JSON) that may report a partial success.
        case otlp
        /// Anything (Jaeger, Zipkin answer 202 with no meaningful body).
        case opaque
    }

    /// The HTTP client (one persistent connection on the exporters' loop).
    public let client: HTTPExportClient
    /// The request path.
    public let path: String
    /// The body format.
    public let encoder: SpanPayloadEncoder
    /// The retry loop settings.
    public let delivery: RetryingDelivery
    private let headers: [(name: String, value: String)]
    private let responseKind: ResponseKind
    private let compressor: GzipCompressor?
    private let diagnostics: ExportDiagnostics
    private var body: [UInt8] = []
    private let isShutDown = Atomic<Bool>(false)

    /// Creates an exporter posting to `path` through `client`.
    /// - Parameters:
    ///   - headers: extra request headers (OTEL_EXPORTER_OTLP_HEADERS), names lowercase.
    ///   - gzip: compress bodies and send `content-encoding: gzip`.
    public init(client: HTTPExportClient, path: String, encoder: SpanPayloadEncoder,
                headers: [(name: String, value: String)] = [], gzip: Bool = false, responseKind: ResponseKind,
                delivery: RetryingDelivery, diagnostics: @escaping ExportDiagnostics = { _, _ in }) {
        self.client = client
        self.path = path.isEmpty ? "/" : path
        self.encoder = encoder
        self.responseKind = responseKind
        self.delivery = delivery
        self.diagnostics = diagnostics
        self.compressor = gzip ? GzipCompressor() : nil
        var all: [(name: String, value: String)] = [(name: "content-type", value: encoder.contentType)]
        if gzip { all.append((name: "content-encoding", value: "gzip")) }
        all.append((name: "user-agent", value: "tracegw"))
        all.append(contentsOf: headers.map { (name: $0.name.lowercased(), value: $0.value) })
        self.headers = all
    }

    /// Encodes and posts the batch, retrying retryable answers until `delivery.exportTimeoutNanoseconds`.
    public func export(_ batch: [FinishedSpan]) -> ExportResult {
        guard !isShutDown.load(ordering: .relaxed) else {
            return .failure(reason: "exporter is shut down", retryable: false)
        }
        guard !batch.isEmpty else { return .success }
        body.removeAll(keepingCapacity: true)
        encoder.encode(batch, into: &body)
        let payload: [UInt8]
        if let compressor {
            guard let compressed = compressor.compress(body) else {
                return .failure(reason: "gzip compression failed", retryable: false)
            }
            payload = compressed
        } else {
            payload = body
        }
        let request = HTTPClientRequest(path: path, headers: headers, body: payload)
        let (outcome, attempts) = delivery.run(shouldStop: { self.isShutDown.load(ordering: .relaxed) }) { timeout in
            switch client.send(request, timeoutNanoseconds: timeout) {
            case .failure(let error):
                return .retryable(reason: "\(error)", notBeforeNanoseconds: nil)
            case .success(let response):
                let outcome = RetryPolicy.classify(httpStatus: response.status, retryAfter: response.header("retry-after"))
                if case .delivered = outcome, responseKind == .otlp { reportPartialSuccess(response) }
                return outcome
            }
        }
        switch outcome {
        case .delivered:
            return .success
        case .retryable(let reason, _):
            diagnostics(.error, "export of \(batch.count) spans to \(client.authority)\(path) failed after \(attempts) attempts: \(reason)")
            return .failure(reason: reason, retryable: true)
        case .permanent(let reason):
            diagnostics(.error, "export of \(batch.count) spans to \(client.authority)\(path) refused: \(reason)")
            return .failure(reason: reason, retryable: false)
        }
    }

    private func reportPartialSuccess(_ response: HTTPClientResponse) {
        guard !response.body.isEmpty else { return }
        let isJSON = response.header("content-type")?.lowercased().hasPrefix("application/json") ?? false
        if isJSON {
            if let partial = OTLPJSONPartialSuccess.parse(response.body) {
                diagnostics(.warning, "collector accepted the batch partially: \(partial.rejectedSpans) spans rejected: \(partial.errorMessage)")
            }
        } else if let partial = try? OTLPTracePartialSuccess.decode(response: response.body) {
            diagnostics(.warning, "collector accepted the batch partially: \(partial.rejectedSpans) spans rejected: \(partial.errorMessage)")
        }
    }

    /// Nothing is buffered between exports.
    public func forceFlush() {}

    /// Stops retry backoffs, closes the connection; later exports fail.
    public func shutdown() {
        isShutDown.store(true, ordering: .relaxed)
        client.shutdown()
    }
}
