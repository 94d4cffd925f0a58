import NetIO

/// The gateway's whole resolved configuration: proxy settings and the seed's tracing options.
///
/// Built by `GatewayConfiguration.resolve(layers:availableExporters:)` from defaults, the YAML file, the
/// environment and flags (in rising precedence). Every default lives in `GatewaySetting.all`.
public struct GatewayConfiguration: Sendable {
    /// The exporters a user can name.
    public enum ExporterKind: String, Sendable, CaseIterable {
        case stdout, otlp, otlpHTTP = "otlp-http", jaeger, zipkin, memory, none
    }

    /// How the stdout exporter writes spans.
    public enum StdoutFormat: String, Sendable, CaseIterable {
        /// One readable line per span.
        case text
        /// One OTLP/JSON ExportTraceServiceRequest per line, as the Collector's file exporter writes it.
        case otlpJSON = "otlp-json"
    }

    /// The sampler selected by OTEL_TRACES_SAMPLER names.
    public enum SamplerName: String, Sendable, CaseIterable {
        case alwaysOn = "always_on", alwaysOff = "always_off", traceIDRatio = "traceidratio"
        case parentBasedAlwaysOn = "parentbased_always_on", parentBasedAlwaysOff = "parentbased_always_off"
        case parentBasedTraceIDRatio = "parentbased_traceidratio"
    }

    /// The OTLP wire protocol.
    public enum OTLPProtocol: String, Sendable, CaseIterable {
        case grpc, httpProtobuf = "http/protobuf", httpJSON = "http/json"
    }

    /// The address the frontend listener binds (`--listen`, key `listen`; default 127.0.0.1:8080).
    public var listen: ServiceEndpoint
    /// The backend every request goes to when no route matches (`--upstream`, key `upstream`).
    public var upstream: ServiceEndpoint?
    /// Worker threads, each with its own event loop (`--workers`; default: CPUs in the affinity mask).
    public var workers: Int?
    /// How each event loop waits for events (key `loop_driver`, env TRACEGW_LOOP_DRIVER; default dispatch_source).
    public var loopDriver: EventLoopDriver
    /// How long a drained event loop polls for events before it blocks, adapting below that (key `busy_poll`, env
    /// TRACEGW_BUSY_POLL; default 0: off; at most 1 ms). See `BusyPollWindow`.
    public var busyPoll: Duration
    /// Every size, count and time the proxy enforces (section `limits:`).
    public var limits: ProxyLimits
    /// How requests are traced (client spans, response header, trust, header capture).
    public var tracing: GatewayTracingOptions
    /// The minimum level of log lines written to stderr (key `log_level`; default info).
    public var logLevel: String

    /// Whether spans are recorded and exported (seed `Enabled`; default true for the gateway; OTEL_SDK_DISABLED).
    public var enabled: Bool
    /// `service.name` (seed `ServiceName`; default `tracegw`; OTEL_SERVICE_NAME, `--service-name`).
    public var serviceName: String
    /// `service.version` (seed `ServiceVersion`; default 1.0.0).
    public var serviceVersion: String
    /// `deployment.environment.name` (seed `Environment`; default development).
    public var environment: String
    /// The exporters, each with its own queue (seed `Exporter`; default stdout; OTEL_TRACES_EXPORTER, `--exporter`).
    public var exporters: [ExporterKind]
    /// The stdout exporter's format (`--stdout-format`; default text).
    public var stdoutFormat: StdoutFormat
    /// Jaeger collector endpoint (seed `JaegerEndpoint`; default http://localhost:14268/api/traces).
    public var jaegerEndpoint: ServiceEndpoint
    /// OTLP endpoint (seed `OTLPEndpoint`; default localhost:4317; OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT).
    public var otlpEndpoint: ServiceEndpoint
    /// True when the OTLP endpoint came from OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, which is used exactly as given.
    public var otlpEndpointIsSignalSpecific: Bool
    /// OTLP protocol (OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL; default grpc).
    public var otlpProtocol: OTLPProtocol
    /// Extra OTLP request headers (OTEL_EXPORTER_OTLP_(TRACES_)HEADERS).
    public var otlpHeaders: [(name: String, value: String)]
    /// Timeout of one OTLP request (OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT; default 10 s).
    public var otlpTimeout: Duration
    /// OTLP compression (OTEL_EXPORTER_OTLP_(TRACES_)COMPRESSION; none or gzip).
    public var otlpCompression: String
    /// True when no layer set the OTLP endpoint, so each protocol uses its own default (grpc localhost:4317
    /// plaintext, http http://localhost:4318).
    public var otlpEndpointIsDefault: Bool
    /// PEM CA file trusted for the collector (OTEL_EXPORTER_OTLP_(TRACES_)CERTIFICATE); nil: the system CAs.
    public var otlpCertificate: String?
    /// PEM client key for mutual TLS (OTEL_EXPORTER_OTLP_(TRACES_)CLIENT_KEY).
    public var otlpClientKey: String?
    /// PEM client certificate for mutual TLS (OTEL_EXPORTER_OTLP_(TRACES_)CLIENT_CERTIFICATE).
    public var otlpClientCertificate: String?
    /// Plaintext gRPC to a `HOST:PORT` endpoint (OTEL_EXPORTER_OTLP_(TRACES_)INSECURE; a URL's scheme wins).
    public var otlpInsecure: Bool
    /// Zipkin v2 endpoint (OTEL_EXPORTER_ZIPKIN_ENDPOINT; default http://localhost:9411/api/v2/spans).
    public var zipkinEndpoint: ServiceEndpoint
    /// The sampler (OTEL_TRACES_SAMPLER); seed `SamplingRate` R means parentbased_traceidratio with ratio R.
    public var sampler: SamplerName
    /// The sampler's ratio (OTEL_TRACES_SAMPLER_ARG or SamplingRate; default 1.0).
    public var samplingRatio: Double
    /// Propagators in order (OTEL_PROPAGATORS; default tracecontext,baggage).
    public var propagators: [String]
    /// Extra resource attributes (OTEL_RESOURCE_ATTRIBUTES), in order.
    public var resourceAttributes: [(key: String, value: String)]
    /// Largest export batch (seed `MaxExportBatchSize`; default 512; OTEL_BSP_MAX_EXPORT_BATCH_SIZE).
    public var maxExportBatchSize: Int
    /// Span queue bound per exporter (seed `MaxQueueSize`; default 2048; OTEL_BSP_MAX_QUEUE_SIZE).
    public var maxQueueSize: Int
    /// Bound on one whole export including retries (seed `ExportTimeout`; default 30 s; OTEL_BSP_EXPORT_TIMEOUT).
    public var exportTimeout: Duration
    /// Delay between scheduled exports (default 5 s; OTEL_BSP_SCHEDULE_DELAY).
    public var scheduleDelay: Duration

    /// For each canonical key: the effective value as text and its origin, in catalogue order.
    public var provenance: [(key: String, value: String, origin: ConfigOrigin)]
}
