import TraceCore
import TraceExport

/// The process-wide tracing pipeline: resource, sampler, propagators, and one batch processor per exporter, each
/// with its own bounded queue so a slow exporter cannot hold back another.
///
/// Workers end spans into `processor` from their loops; `onEnd` never blocks (a full queue drops and counts).
public final class TracingPipeline: Sendable {
    /// Whether requests are traced at all (`enabled`, OTEL_SDK_DISABLED). With exporter `none` spans are still
    /// created and context still propagated; they are just not exported.
    public let isEnabled: Bool
    /// The resource of every span.
    public let resource: Resource
    /// The global sampler.
    public let sampler: ConfiguredSampler
    /// The propagators (OTEL_PROPAGATORS).
    public let propagator: CompositePropagator
    /// Fans finished spans out to each exporter's batch processor.
    public let processor: MultiSpanProcessor
    /// The in-memory exporter, when `memory` is configured (the admin trace viewer reads it).
    public let memoryExporter: InMemorySpanExporter?
    private let droppedCounters: [@Sendable () -> Int]

    /// Builds exporters and processors from the configuration.
    /// - Parameter stdoutFileDescriptor: where the stdout exporter writes (tests pass a pipe).
    public init(configuration: GatewayConfiguration, stdoutFileDescriptor: Int32 = 1) throws {
        let tracingConfiguration = configuration.tracingConfiguration
        resource = tracingConfiguration.makeResource()
        isEnabled = configuration.enabled
        sampler = tracingConfiguration.effectiveSampler
        propagator = tracingConfiguration.propagators
        let batch = tracingConfiguration.batch
        var processors: [any SpanProcessor] = []
        var dropped: [@Sendable () -> Int] = []
        var memory: InMemorySpanExporter?
        if isEnabled {
            for kind in configuration.exporters {
                switch kind {
                case .stdout:
                    let exporter = StdoutSpanExporter(
                        resource: resource, format: configuration.stdoutFormat == .otlpJSON ? .otlpJSON : .text,
                        fileDescriptor: stdoutFileDescriptor)
                    let p = BatchSpanProcessor(exporter: exporter, configuration: batch)
                    processors.append(p)
                    dropped.append { p.droppedCount }
                case .memory:
                    let exporter = InMemorySpanExporter(retainsSpans: true)
                    memory = exporter
                    let p = BatchSpanProcessor(exporter: exporter, configuration: batch)
                    processors.append(p)
                    dropped.append { p.droppedCount }
                case .none:
                    break
                case .otlp, .otlpHTTP, .jaeger, .zipkin:
                    throw ConfigError.invalidValue(key: "exporter", value: kind.rawValue, origin: .builtInDefault,
                                                   allowed: "exporter \(kind.rawValue) is not available in this build")
                }
            }
        }
        memoryExporter = memory
        processor = MultiSpanProcessor(processors)
        droppedCounters = dropped
    }

    /// Spans dropped because an exporter's queue was full.
    public var droppedSpanCount: Int { droppedCounters.reduce(0) { $0 + $1() } }

    /// Exports what is queued and stops the exporters, waiting at most `timeout`.
    @discardableResult
    public func shutdown(timeout: Duration) -> Bool {
        processor.shutdown(timeoutNanos: timeout.nanoseconds)
    }

    /// Exports what is queued, waiting at most `timeout`.
    @discardableResult
    public func forceFlush(timeout: Duration) -> Bool {
        processor.forceFlush(timeoutNanos: timeout.nanoseconds)
    }
}

extension GatewayConfiguration {
    /// The seed's options as TraceCore's `TracingConfiguration`.
    public var tracingConfiguration: TracingConfiguration {
        let samplerValue: ConfiguredSampler
        switch sampler {
        case .alwaysOn: samplerValue = .alwaysOn
        case .alwaysOff: samplerValue = .alwaysOff
        case .traceIDRatio: samplerValue = .traceIDRatio(TraceIDRatioSampler(ratio: samplingRatio))
        case .parentBasedAlwaysOn: samplerValue = .parentBasedAlwaysOn
        case .parentBasedAlwaysOff: samplerValue = .parentBasedAlwaysOff
        case .parentBasedTraceIDRatio: samplerValue = .parentBased(rate: samplingRatio)
        }
        let propagators = (try? CompositePropagator(otelPropagators: self.propagators.joined(separator: ","))) ?? .default
        return TracingConfiguration(
            enabled: enabled,
            serviceName: serviceName,
            serviceVersion: serviceVersion,
            environment: environment,
            exporters: exporters.map(\.rawValue),
            jaegerEndpoint: jaegerEndpoint.description,
            otlpEndpoint: otlpEndpoint.description,
            samplingRate: samplingRatio,
            sampler: samplerValue,
            propagators: propagators,
            resourceAttributes: resourceAttributes.map { SpanAttribute(key: $0.key, value: .string($0.value)) },
            batch: BatchSpanProcessorConfiguration(
                maxQueueSize: maxQueueSize, scheduleDelay: scheduleDelay, exportTimeout: exportTimeout,
                maxExportBatchSize: maxExportBatchSize)
        )
    }
}
