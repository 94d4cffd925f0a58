import Synchronization

/// Exports each span inline, on the thread that ends it (OpenTelemetry SDK §Simple processor).
///
/// For tests and stdout debugging only: `onEnd` blocks for the whole export. Calls into the exporter are serialised
/// by a mutex, because exporters assume a single caller.
public final class SimpleSpanProcessor<Exporter: SpanExporter>: SpanProcessor {
    /// The exporter each span goes to.
    public let exporter: Exporter
    private let state = Mutex<Bool>(false)  // true once shut down; held across each export to serialise calls

    /// Creates the processor.
    public init(exporter: Exporter) {
        self.exporter = exporter
    }

    /// Exports `[span]` now, unless shut down.
    public func onEnd(_ span: consuming FinishedSpan) {
        let batch = [span]
        state.withLock { isShutDown in
            guard !isShutDown else { return }
            _ = exporter.export(batch)
        }
    }

    /// Nothing is queued; asks the exporter to flush. Always true.
    public func forceFlush(timeoutNanos: UInt64) -> Bool {
        state.withLock { _ in exporter.forceFlush() }
        return true
    }

    /// Shuts the exporter down once. Always true.
    public func shutdown(timeoutNanos: UInt64) -> Bool {
        state.withLock { isShutDown in
            guard !isShutDown else { return }
            isShutDown = true
            exporter.shutdown()
        }
        return true
    }
}
