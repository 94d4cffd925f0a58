import Dispatch
import Logging
import NetIO
import Synchronization
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
    private let failedCounters: [@Sendable () -> Int]
    /// The one event loop all network exporters' connections live on (nil without network exporters).
    private let exportLoop: EventLoop?
    private let logger: Logger
    /// Periodic dropped-span report (every `droppedReportInterval`), cancelled at shutdown.
    private let reportTimer: LockedTimer

    /// How often dropped and failed spans are reported in a log line, at most.
    public static let droppedReportInterval: Duration = .seconds(10)

    /// Builds exporters and processors from the configuration.
    /// - Parameters:
    ///   - stdoutFileDescriptor: where the stdout exporter writes (tests pass a pipe).
    ///   - logger: where exporters report failures and the pipeline reports dropped spans.
    public init(configuration: GatewayConfiguration, stdoutFileDescriptor: Int32 = 1,
                logger: Logger = Logger(label: "tracegw.export")) throws {
        self.logger = logger
        let tracingConfiguration = configuration.tracingConfiguration
        resource = tracingConfiguration.makeResource()
        isEnabled = configuration.enabled
        sampler = tracingConfiguration.effectiveSampler
        propagator = tracingConfiguration.propagators
        let batch = tracingConfiguration.batch
        var processors: [any SpanProcessor] = []
        var dropped: [@Sendable () -> Int] = []
        var failed: [@Sendable () -> Int] = []
        var memory: InMemorySpanExporter?
        var loop: EventLoop?
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
                    failed.append { p.failedExportCount }
                case .memory:
                    let exporter = InMemorySpanExporter(retainsSpans: true)
                    memory = exporter
                    let p = BatchSpanProcessor(exporter: exporter, configuration: batch)
                    processors.append(p)
                    dropped.append { p.droppedCount }
                case .none:
                    break
                case .otlp, .otlpHTTP, .jaeger, .zipkin:
                    if loop == nil { loop = try EventLoop(name: "tracegw.export") }
                    let made = try Self.makeNetworkProcessor(
                        kind: kind, configuration: configuration, resource: resource, loop: loop!, logger: logger,
                        batch: batch)
                    processors.append(made.processor)
                    dropped.append(made.dropped)
                    failed.append(made.failed)
                }
            }
        }
        memoryExporter = memory
        processor = MultiSpanProcessor(processors)
        droppedCounters = dropped
        failedCounters = failed
        exportLoop = loop
        reportTimer = LockedTimer()
        if isEnabled { startDropReports() }
    }

    /// Spans lost because their export failed for good (refused, or retries ran out of time).
    public var failedSpanCount: Int { failedCounters.reduce(0) { $0 + $1() } }

    /// Logs dropped and failed spans at most every `droppedReportInterval`, only when the counts grew.
    private func startDropReports() {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "tracegw.dropped-spans"))
        let interval = Self.droppedReportInterval
        let last = Mutex((dropped: 0, failed: 0))
        timer.schedule(deadline: .now() + .nanoseconds(Int(interval.nanoseconds)),
                       repeating: .nanoseconds(Int(interval.nanoseconds)))
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            let dropped = self.droppedSpanCount
            let failed = self.failedSpanCount
            let (newDropped, newFailed) = last.withLock { last -> (Int, Int) in
                defer { last = (dropped, failed) }
                return (dropped - last.dropped, failed - last.failed)
            }
            if newDropped > 0 || newFailed > 0 {
                self.logger.warning("spans lost in the last \(interval.components.seconds) s: \(newDropped) dropped (exporter queue full), \(newFailed) in failed exports",
                                    metadata: ["dropped_total": "\(dropped)", "failed_total": "\(failed)"])
            }
        }
        timer.resume()
        reportTimer.set(timer)
    }

    /// Spans dropped because an exporter's queue was full.
    public var droppedSpanCount: Int { droppedCounters.reduce(0) { $0 + $1() } }

    /// Exports what is queued and stops the exporters, waiting at most `timeout`.
    @discardableResult
    public func shutdown(timeout: Duration) -> Bool {
        reportTimer.cancel()
        let finished = processor.shutdown(timeoutNanos: timeout.nanoseconds)
        let failed = failedSpanCount
        if failed > 0 { logger.warning("\(failed) spans were lost in failed exports") }
        exportLoop?.shutdown()
        return finished
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

/// A Dispatch timer that can be cancelled once from any thread.
/// `@unchecked Sendable`: `source` is guarded by `lock`.
private final class LockedTimer: @unchecked Sendable {
    private let lock = Mutex<Void>(())
    private var source: (any DispatchSourceTimer)?

    func set(_ timer: any DispatchSourceTimer) {
        lock.withLock { _ in source = timer }
    }

    func cancel() {
        let timer = lock.withLock { _ -> (any DispatchSourceTimer)? in
            defer { source = nil }
            return source
        }
        timer?.cancel()
    }
}
