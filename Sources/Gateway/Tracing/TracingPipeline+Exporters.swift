import Logging
import NetIO
import TraceCore
import TraceEncoding
import TraceExport

/// Where a network exporter connects and what it speaks.
struct ExporterTarget: Equatable {
    var host: String
    var port: UInt16
    var path: String
    var usesTLS: Bool
}

extension GatewayConfiguration {
    /// The OTLP/gRPC target: the default is plaintext localhost:4317; a URL's scheme decides TLS; a `HOST:PORT`
    /// uses TLS unless `otlp_insecure` (OTLP exporter spec, OTEL_EXPORTER_OTLP_INSECURE).
    var otlpGRPCTarget: ExporterTarget {
        if otlpEndpointIsDefault { return ExporterTarget(host: "localhost", port: 4317, path: "", usesTLS: false) }
        let e = otlpEndpoint
        let tls = e.scheme.map { $0 == "https" } ?? !otlpInsecure
        return ExporterTarget(host: e.host, port: UInt16(e.port), path: "", usesTLS: tls)
    }

    /// The OTLP/HTTP target: `/v1/traces` appended to the general endpoint (default http://localhost:4318); the
    /// signal-specific OTEL_EXPORTER_OTLP_TRACES_ENDPOINT used exactly as given.
    var otlpHTTPTarget: ExporterTarget {
        if otlpEndpointIsDefault {
            return ExporterTarget(host: "localhost", port: 4318, path: "/v1/traces", usesTLS: false)
        }
        let e = otlpEndpoint
        let tls = e.scheme.map { $0 == "https" } ?? false
        if otlpEndpointIsSignalSpecific {
            return ExporterTarget(host: e.host, port: UInt16(e.port), path: e.path.isEmpty ? "/" : e.path, usesTLS: tls)
        }
        var base = e.path
        while base.hasSuffix("/") { base.removeLast() }
        return ExporterTarget(host: e.host, port: UInt16(e.port), path: base + "/v1/traces", usesTLS: tls)
    }

    /// The protocol `--exporter otlp` speaks, or `otlp-http` (http/protobuf unless the protocol says http/json).
    func otlpProtocol(for kind: ExporterKind) -> OTLPProtocol {
        if kind == .otlpHTTP { return otlpProtocol == .httpJSON ? .httpJSON : .httpProtobuf }
        return otlpProtocol
    }
}

extension TracingPipeline {
    /// A batch processor and its counters, type-erased once at start-up (the per-span path stays generic).
    struct ExporterProcessor {
        var processor: any SpanProcessor
        var dropped: @Sendable () -> Int
        var failed: @Sendable () -> Int
    }

    /// Wraps `exporter` in its own `BatchSpanProcessor` (its own bounded queue and thread).
    static func batchProcessor<E: SpanExporter>(_ exporter: E, _ batch: BatchSpanProcessorConfiguration) -> ExporterProcessor {
        let p = BatchSpanProcessor(exporter: exporter, configuration: batch)
        return ExporterProcessor(processor: p, dropped: { p.droppedCount }, failed: { p.failedExportCount })
    }

    /// Builds the network exporter for `kind` on `loop`, inside its batch processor.
    static func makeNetworkProcessor(
        kind: GatewayConfiguration.ExporterKind, configuration: GatewayConfiguration, resource: Resource,
        loop: EventLoop, logger: Logger, batch: BatchSpanProcessorConfiguration
    ) throws -> ExporterProcessor {
        let diagnostics: ExportDiagnostics = { level, message in
            switch level {
            case .warning: logger.warning("\(message)", metadata: ["exporter": "\(kind.rawValue)"])
            case .error: logger.error("\(message)", metadata: ["exporter": "\(kind.rawValue)"])
            }
        }
        let requestTimeout = UInt64(clamping: configuration.otlpTimeout.nanoseconds)
        let delivery = RetryingDelivery(
            requestTimeoutNanoseconds: requestTimeout,
            exportTimeoutNanoseconds: UInt64(clamping: configuration.exportTimeout.nanoseconds))
        let gzip = configuration.otlpCompression == "gzip"
        let headers = configuration.otlpHeaders.map { (name: $0.name.lowercased(), value: $0.value) }

        func tlsContext(_ target: ExporterTarget, alpn: [String], otlp: Bool) throws -> TLSContext? {
            guard target.usesTLS else { return nil }
            let tls = TLSContext.ClientConfiguration(
                trustedCAFile: otlp ? configuration.otlpCertificate : nil,
                certificateFile: otlp ? configuration.otlpClientCertificate : nil,
                privateKeyFile: otlp ? configuration.otlpClientKey : nil,
                applicationProtocols: alpn)
            do {
                return try TLSContext(client: tls)
            } catch {
                throw ConfigError.invalidValue(key: "otlp_certificate", value: configuration.otlpCertificate ?? "",
                                               origin: .builtInDefault, allowed: "\(error)")
            }
        }
        func client(_ target: ExporterTarget, _ version: HTTPExportClient.Version, otlp: Bool) throws -> HTTPExportClient {
            let alpn = version == .http2 ? ["h2"] : ["http/1.1"]
            return HTTPExportClient(loop: loop, host: target.host, port: target.port, version: version,
                                    tlsContext: try tlsContext(target, alpn: alpn, otlp: otlp),
                                    connectTimeoutNanoseconds: Int64(clamping: requestTimeout))
        }
        func plainTarget(_ e: ServiceEndpoint) -> ExporterTarget {
            ExporterTarget(host: e.host, port: UInt16(e.port), path: e.path.isEmpty ? "/" : e.path, usesTLS: e.usesTLS)
        }

        switch kind {
        case .otlp, .otlpHTTP:
            switch configuration.otlpProtocol(for: kind) {
            case .grpc:
                let target = configuration.otlpGRPCTarget
                return batchProcessor(OTLPGRPCSpanExporter(
                    client: try client(target, .http2, otlp: true), encoder: OTLPProtobufEncoder(resource: resource),
                    headers: headers, gzip: gzip, delivery: delivery, diagnostics: diagnostics), batch)
            case .httpProtobuf, .httpJSON:
                let target = configuration.otlpHTTPTarget
                let json = configuration.otlpProtocol(for: kind) == .httpJSON
                return batchProcessor(HTTPSpanExporter(
                    client: try client(target, .http1, otlp: true), path: target.path,
                    encoder: json ? .otlpJSON(OTLPJSONEncoder(resource: resource))
                        : .otlpProtobuf(OTLPProtobufEncoder(resource: resource)),
                    headers: headers, gzip: gzip, responseKind: .otlp, delivery: delivery, diagnostics: diagnostics), batch)
            }
        case .jaeger:
            let target = plainTarget(configuration.jaegerEndpoint)
            return batchProcessor(HTTPSpanExporter(
                client: try client(target, .http1, otlp: false), path: target.path,
                encoder: .jaegerThrift(JaegerThriftEncoder(resource: resource)), responseKind: .opaque,
                delivery: delivery, diagnostics: diagnostics), batch)
        case .zipkin:
            let target = plainTarget(configuration.zipkinEndpoint)
            return batchProcessor(HTTPSpanExporter(
                client: try client(target, .http1, otlp: false), path: target.path,
                encoder: .zipkinJSON(ZipkinJSONEncoder(resource: resource)), responseKind: .opaque,
                delivery: delivery, diagnostics: diagnostics), batch)
        case .stdout, .memory, .none:
            preconditionFailure("not a network exporter")
        }
    }
}
