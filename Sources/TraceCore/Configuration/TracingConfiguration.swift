/// Every tracing option of the gateway as one value, with the seed package's defaults (seed README,
/// "Configuration Options") plus sampler, propagators, resource attributes and span limits.
///
/// Only the value and its validation live here; reading files, environment and flags (and their precedence) is the
/// Gateway's job. Keys in `ConfigurationError` use the seed's option names.
public struct TracingConfiguration: Sendable, Equatable {
    /// Whether tracing is on. Default false (seed `Enabled`).
    public var enabled: Bool
    /// `service.name` of the resource; must not be empty when enabled (seed `ServiceName`, `OTEL_SERVICE_NAME`).
    public var serviceName: String
    /// `service.version`. Default "1.0.0" (seed `ServiceVersion`).
    public var serviceVersion: String
    /// `deployment.environment.name`. Default "development" (seed `Environment`).
    public var environment: String
    /// Exporter names, each one of `allowedExporters`. Default ["stdout"] (seed `Exporter`, made a list;
    /// `OTEL_TRACES_EXPORTER`).
    public var exporters: [String]
    /// Jaeger collector endpoint (Thrift over HTTP). Default "http://localhost:14268/api/traces" (seed `JaegerEndpoint`).
    public var jaegerEndpoint: String
    /// OTLP collector endpoint, `host:port` or a URL. Default "localhost:4317" (seed `OTLPEndpoint`,
    /// `OTEL_EXPORTER_OTLP_ENDPOINT`).
    public var otlpEndpoint: String
    /// Fraction of new traces sampled, 0...1. Default 1.0 (seed `SamplingRate`). Used to build `sampler` when the
    /// integrator has no explicit `OTEL_TRACES_SAMPLER`; see `effectiveSampler`.
    public var samplingRate: Double
    /// The sampler; nil means "parent-based ratio from `samplingRate`" (`OTEL_TRACES_SAMPLER`, `…_ARG`).
    public var sampler: ConfiguredSampler?
    /// The propagators. Default `tracecontext,baggage` (`OTEL_PROPAGATORS`).
    public var propagators: CompositePropagator
    /// Extra resource attributes, applied after the defaults (`OTEL_RESOURCE_ATTRIBUTES`).
    public var resourceAttributes: [SpanAttribute]
    /// Batch processor options (seed `MaxExportBatchSize` 512, `MaxQueueSize` 2048, `ExportTimeout` 30 s; plus
    /// `OTEL_BSP_SCHEDULE_DELAY` 5 s).
    public var batch: BatchSpanProcessorConfiguration
    /// Span limits (`OTEL_SPAN_*_LIMIT`).
    public var spanLimits: SpanLimits

    /// The exporter names the gateway knows.
    public static let allowedExporters: [String] = ["stdout", "otlp", "otlp-http", "otlp-grpc", "jaeger", "zipkin", "memory", "none"]

    /// Creates a configuration; every default is the seed package's.
    public init(
        enabled: Bool = false,
        serviceName: String = "tracegw",
        serviceVersion: String = "1.0.0",
        environment: String = "development",
        exporters: [String] = ["stdout"],
        jaegerEndpoint: String = "http://localhost:14268/api/traces",
        otlpEndpoint: String = "localhost:4317",
        samplingRate: Double = 1.0,
        sampler: ConfiguredSampler? = nil,
        propagators: CompositePropagator = .default,
        resourceAttributes: [SpanAttribute] = [],
        batch: BatchSpanProcessorConfiguration = BatchSpanProcessorConfiguration(),
        spanLimits: SpanLimits = .default
    ) {
        self.enabled = enabled
        self.serviceName = serviceName
        self.serviceVersion = serviceVersion
        self.environment = environment
        self.exporters = exporters
        self.jaegerEndpoint = jaegerEndpoint
        self.otlpEndpoint = otlpEndpoint
        self.samplingRate = samplingRate
        self.sampler = sampler
        self.propagators = propagators
        self.resourceAttributes = resourceAttributes
        self.batch = batch
        self.spanLimits = spanLimits
    }

    /// The seed's `MaxExportBatchSize`.
    public var maxExportBatchSize: Int {
        get { batch.maxExportBatchSize }
        set { batch.maxExportBatchSize = newValue }
    }

    /// The seed's `MaxQueueSize`.
    public var maxQueueSize: Int {
        get { batch.maxQueueSize }
        set { batch.maxQueueSize = newValue }
    }

    /// The seed's `ExportTimeout`.
    public var exportTimeout: Duration {
        get { batch.exportTimeout }
        set { batch.exportTimeout = newValue }
    }

    /// `sampler` if set, else `ConfiguredSampler.parentBased(rate: samplingRate)`.
    public var effectiveSampler: ConfiguredSampler {
        sampler ?? .parentBased(rate: samplingRate)
    }

    /// The resource built from service name, version, environment and `resourceAttributes`.
    public func makeResource(hostName: String? = nil) -> Resource {
        Resource.defaultResource(
            serviceName: serviceName, serviceVersion: serviceVersion, environment: environment, hostName: hostName,
            extra: resourceAttributes
        )
    }

    /// Checks every value; the error names the key, the bad value and what is allowed.
    public func validate() throws(ConfigurationError) {
        if enabled && serviceName.isEmpty {
            throw .invalidValue(key: "service-name", value: serviceName, allowed: "a non-empty name")
        }
        guard samplingRate.isFinite, samplingRate >= 0, samplingRate <= 1 else {
            throw .invalidValue(key: "sampling-rate", value: String(samplingRate), allowed: "a number in 0.0...1.0")
        }
        if enabled && exporters.isEmpty {
            throw .invalidValue(
                key: "exporters", value: "", allowed: Self.allowedExporters.joined(separator: ", ")
            )
        }
        for exporter in exporters where !Self.allowedExporters.contains(exporter) {
            throw .invalidValue(key: "exporters", value: exporter, allowed: Self.allowedExporters.joined(separator: ", "))
        }
        if exporters.contains("jaeger") {
            guard jaegerEndpoint.hasPrefix("http://") || jaegerEndpoint.hasPrefix("https://") else {
                throw .invalidValue(key: "jaeger-endpoint", value: jaegerEndpoint, allowed: "an http:// or https:// URL")
            }
        }
        if exporters.contains(where: { $0.hasPrefix("otlp") }) {
            guard !otlpEndpoint.isEmpty, !otlpEndpoint.contains(where: { $0 == " " }) else {
                throw .invalidValue(key: "otlp-endpoint", value: otlpEndpoint, allowed: "host:port or an http(s):// URL")
            }
        }
        do {
            try batch.validate()
        } catch .invalidValue(let key, let value, let allowed) {
            let seedKey: String
            switch key {
            case "OTEL_BSP_MAX_QUEUE_SIZE": seedKey = "max-queue-size"
            case "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": seedKey = "max-export-batch-size"
            case "OTEL_BSP_EXPORT_TIMEOUT": seedKey = "export-timeout"
            default: seedKey = "schedule-delay"
            }
            throw .invalidValue(key: seedKey, value: value, allowed: allowed)
        }
    }
}
