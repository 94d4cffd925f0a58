/// Queue and timing options of the batch span processor (OpenTelemetry SDK §Batching processor).
///
/// Each default is the specification's; the environment variable named on each field configures it.
public struct BatchSpanProcessorConfiguration: Sendable, Hashable {
    /// Most spans waiting for export; when full, new spans are dropped and counted.
    /// Default 2048 (`OTEL_BSP_MAX_QUEUE_SIZE`).
    public var maxQueueSize: Int
    /// Longest time between two exports when the queue is not full enough for a batch.
    /// Default 5 s (`OTEL_BSP_SCHEDULE_DELAY`, milliseconds).
    public var scheduleDelay: Duration
    /// How long one export may take; exporters are built with this timeout, and the processor logs no more than that.
    /// Default 30 s (`OTEL_BSP_EXPORT_TIMEOUT`, milliseconds).
    public var exportTimeout: Duration
    /// Most spans in one export call; reaching it wakes the export thread early. Must be ≤ `maxQueueSize`.
    /// Default 512 (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`).
    public var maxExportBatchSize: Int

    /// Creates a configuration; the defaults are the specification's.
    public init(
        maxQueueSize: Int = 2048,
        scheduleDelay: Duration = .seconds(5),
        exportTimeout: Duration = .seconds(30),
        maxExportBatchSize: Int = 512
    ) {
        self.maxQueueSize = maxQueueSize
        self.scheduleDelay = scheduleDelay
        self.exportTimeout = exportTimeout
        self.maxExportBatchSize = maxExportBatchSize
    }

    /// Checks the ranges the specification implies: sizes positive, batch ≤ queue, delays positive.
    public func validate() throws(ConfigurationError) {
        guard maxQueueSize > 0 else {
            throw .invalidValue(key: "OTEL_BSP_MAX_QUEUE_SIZE", value: String(maxQueueSize), allowed: "an integer > 0")
        }
        guard maxExportBatchSize > 0, maxExportBatchSize <= maxQueueSize else {
            throw .invalidValue(
                key: "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", value: String(maxExportBatchSize),
                allowed: "an integer in 1...\(maxQueueSize) (max queue size)"
            )
        }
        guard scheduleDelay > .zero else {
            throw .invalidValue(key: "OTEL_BSP_SCHEDULE_DELAY", value: "\(scheduleDelay)", allowed: "a duration > 0")
        }
        guard exportTimeout > .zero else {
            throw .invalidValue(key: "OTEL_BSP_EXPORT_TIMEOUT", value: "\(exportTimeout)", allowed: "a duration > 0")
        }
    }
}
