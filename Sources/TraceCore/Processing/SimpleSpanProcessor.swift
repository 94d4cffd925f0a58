/// Exports each span inline, on the thread that ends it (OpenTelemetry SDK §Simple processor).
///
/// For tests and stdout debugging only: `onEnd` blocks for the whole export. Calls into the exporter are serialised
/// by a mutex, because exporters assume a single caller.
public final class SimpleSpanProcessor<Exporter: SpanExporter>: SpanProcessor, @unchecked Sendable {  // `isShutDown` is guarded by `lock`.
    /// The exporter each span goes to.
    public let exporter: Exporter
    /// Held across each export to serialise calls into the exporter.
    private let lock = ConditionLock()
    private var isShutDownStorage = false

    private func withState<R>(_ body: (inout Bool) -> R) -> R {
        lock.withLock { body(&isShutDownStorage) }
    }

    /// Creates the processor.
    public init(exporter: Exporter) {
        self.exporter = exporter
    }

    /// Exports `[span]` now, unless shut down.
    public func onEnd(_ span: consuming FinishedSpan) {
        let batch = [span]
        withState { isShutDown in
            guard !isShutDown else { return }
            _ = exporter.export(batch)
        }
    }

    /// Nothing is queued; asks the exporter to flush. Always true.
    public func forceFlush(timeoutNanos: UInt64) -> Bool {
        withState { _ in exporter.forceFlush() }
        return true
    }

    /// Shuts the exporter down once. Always true.
    public func shutdown(timeoutNanos: UInt64) -> Bool {
        withState { isShutDown in
            guard !isShutDown else { return }
            isShutDown = true
            exporter.shutdown()
        }
        return true
    }
}
