import Synchronization
import TraceCore
import TraceEncoding

/// Exports batches with the unary gRPC call `opentelemetry.proto.collector.trace.v1.TraceService/Export` over HTTP/2.
///
/// The request is one gRPC length-prefixed message (1 byte compressed flag, 4 bytes big-endian length, the
/// protobuf `ExportTraceServiceRequest`), `content-type: application/grpc`, `te: trailers`, `grpc-timeout`. The
/// outcome is read from `grpc-status` / `grpc-message` in the trailers, or in the headers of a Trailers-Only
/// response (gRPC PROTOCOL-HTTP2.md). Retryable codes follow the OTLP specification (see `RetryPolicy`), with
/// RetryInfo's delay honoured. `@unchecked Sendable`: `message` and `compressor` are used only by the export thread,
/// which calls `export` serially; `isShutDown` is atomic.
public final class OTLPGRPCSpanExporter: SpanExporter, @unchecked Sendable {
    /// The method path.
    public static let exportPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"

    /// The HTTP/2 client.
    public let client: HTTPExportClient
    /// The retry loop settings.
    public let delivery: RetryingDelivery
    private let encoder: OTLPProtobufEncoder
    private let headers: [(name: String, value: String)]
    private let compressor: GzipCompressor?
    private let diagnostics: ExportDiagnostics
    private var message: [UInt8] = []
    private let isShutDown = Atomic<Bool>(false)

    /// Creates an exporter calling TraceService/Export through `client` (which must speak HTTP/2).
    /// - Parameters:
    ///   - headers: extra metadata (OTEL_EXPORTER_OTLP_HEADERS), names lowercase.
    ///   - gzip: compress messages (`grpc-encoding: gzip`, compressed flag 1).
    public init(client: HTTPExportClient, encoder: OTLPProtobufEncoder, headers: [(name: String, value: String)] = [],
                gzip: Bool = false, delivery: RetryingDelivery, diagnostics: @escaping ExportDiagnostics = { _, _ in }) {
        self.client = client
        self.encoder = encoder
        self.delivery = delivery
        self.diagnostics = diagnostics
        self.compressor = gzip ? GzipCompressor() : nil
        var all: [(name: String, value: String)] = [
            (name: "content-type", value: "application/grpc"),
            (name: "te", value: "trailers"),
            (name: "user-agent", value: "tracegw"),
        ]
        if gzip { all.append((name: "grpc-encoding", value: "gzip")) }
        all.append((name: "grpc-accept-encoding", value: "identity"))
        all.append(contentsOf: headers.map { (name: $0.name.lowercased(), value: $0.value) })
        self.headers = all
    }

    /// Encodes the batch into one gRPC message and calls Export, retrying retryable statuses.
    public func export(_ batch: [FinishedSpan]) -> ExportResult {
        guard !isShutDown.load(ordering: .relaxed) else {
            return .failure(reason: "exporter is shut down", retryable: false)
        }
        guard !batch.isEmpty else { return .success }
        message.removeAll(keepingCapacity: true)
        message.append(contentsOf: [0, 0, 0, 0, 0])
        encoder.encode(batch, into: &message)
        if let compressor {
            let compressed = message.withUnsafeBytes { compressor.compress(UnsafeRawBufferPointer(rebasing: $0[5...])) }
            guard let compressed else { return .failure(reason: "gzip compression failed", retryable: false) }
            message.removeAll(keepingCapacity: true)
            message.append(contentsOf: [1, 0, 0, 0, 0])
            message.append(contentsOf: compressed)
        }
        let length = UInt32(message.count - 5)
        message[1] = UInt8(truncatingIfNeeded: length >> 24)
        message[2] = UInt8(truncatingIfNeeded: length >> 16)
        message[3] = UInt8(truncatingIfNeeded: length >> 8)
        message[4] = UInt8(truncatingIfNeeded: length)

        let (outcome, attempts) = delivery.run(shouldStop: { self.isShutDown.load(ordering: .relaxed) }) { timeout in
            var requestHeaders = headers
            requestHeaders.append((name: "grpc-timeout", value: "\(min(max(timeout / 1_000_000, 1), 99_999_999))m"))
            let request = HTTPClientRequest(path: Self.exportPath, headers: requestHeaders, body: message)
            switch client.send(request, timeoutNanoseconds: timeout) {
            case .failure(let error):
                return .retryable(reason: "\(error)", notBeforeNanoseconds: nil)
            case .success(let response):
                return interpret(response)
            }
        }
        switch outcome {
        case .delivered:
            return .success
        case .retryable(let reason, _):
            diagnostics(.error, "OTLP/gRPC export of \(batch.count) spans to \(client.authority) failed after \(attempts) attempts: \(reason)")
            return .failure(reason: reason, retryable: true)
        case .permanent(let reason):
            diagnostics(.error, "OTLP/gRPC export of \(batch.count) spans to \(client.authority) refused: \(reason)")
            return .failure(reason: reason, retryable: false)
        }
    }

    /// Maps an HTTP/2 response to an attempt outcome (gRPC status, or the HTTP status when gRPC gave none).
    private func interpret(_ response: HTTPClientResponse) -> ExportAttemptOutcome {
        guard let statusText = response.trailer("grpc-status"), let status = Int(statusText) else {
            // No gRPC status: map the HTTP status as gRPC does ("HTTP to gRPC Status Code Mapping").
            switch response.status {
            case 429, 502, 503, 504: return .retryable(reason: "HTTP \(response.status) without grpc-status", notBeforeNanoseconds: nil)
            default: return .permanent(reason: "HTTP \(response.status) without grpc-status")
            }
        }
        let message = GRPCStatusDetails.decodeMessage(response.trailer("grpc-message") ?? "")
        let retryDelay = response.trailer("grpc-status-details-bin").flatMap {
            GRPCStatusDetails.retryDelayNanoseconds(statusDetailsBase64: $0)
        }
        let outcome = RetryPolicy.classify(grpcStatus: status, message: message, retryInfoDelayNanoseconds: retryDelay)
        if case .delivered = outcome { reportPartialSuccess(response.body) }
        return outcome
    }

    private func reportPartialSuccess(_ body: [UInt8]) {
        // One length-prefixed, uncompressed ExportTraceServiceResponse (we accept only identity encoding).
        guard body.count >= 5, body[0] == 0 else { return }
        let length = Int(body[1]) << 24 | Int(body[2]) << 16 | Int(body[3]) << 8 | Int(body[4])
        guard length > 0, body.count >= 5 + length else { return }
        if let partial = try? OTLPTracePartialSuccess.decode(response: Array(body[5..<5 + length])) {
            diagnostics(.warning, "collector accepted the batch partially: \(partial.rejectedSpans) spans rejected: \(partial.errorMessage)")
        }
    }

    /// Nothing is buffered between exports.
    public func forceFlush() {}

    /// Stops retry backoffs and closes the connection (GOAWAY); later exports fail.
    public func shutdown() {
        isShutDown.store(true, ordering: .relaxed)
        client.shutdown()
    }
}
