/// Keeps exported spans in memory: the `memory` exporter and the test double for processors.
///
/// Thread-safe (a mutex guards the list) so tests can read while the export thread writes.
public final class InMemorySpanExporter: SpanExporter, @unchecked Sendable {  // `stateStorage` is guarded by `lock`.
    private struct State {
        var spans: [FinishedSpan] = []
        var batchCount = 0
        var exportedCount = 0
        var isShutDown = false
        var forceFlushCount = 0
    }

    private let lock = ConditionLock()
    private var stateStorage = State()

    /// Runs `body` with the state under the lock.
    private func withState<R>(_ body: (inout State) -> R) -> R {
        lock.withLock { body(&stateStorage) }
    }
    /// Whether to keep span values (false only counts them, for load tests).
    public let retainsSpans: Bool

    /// Creates an empty exporter; with `retainsSpans: false` it only counts.
    public init(retainsSpans: Bool = true) {
        self.retainsSpans = retainsSpans
    }

    /// Stores the batch; after `shutdown` returns a non-retryable failure.
    public func export(_ batch: [FinishedSpan]) -> ExportResult {
        withState { state in
            guard !state.isShutDown else { return .failure(reason: "exporter is shut down", retryable: false) }
            if retainsSpans { state.spans.append(contentsOf: batch) }
            state.batchCount += 1
            state.exportedCount += batch.count
            return .success
        }
    }

    /// Counts the call.
    public func forceFlush() {
        withState { $0.forceFlushCount += 1 }
    }

    /// Marks the exporter shut down.
    public func shutdown() {
        withState { $0.isShutDown = true }
    }

    /// The spans exported so far, in export order.
    public var finishedSpans: [FinishedSpan] { withState { $0.spans } }
    /// How many spans were exported (also counted when `retainsSpans` is false).
    public var exportedCount: Int { withState { $0.exportedCount } }
    /// How many `export` calls succeeded.
    public var batchCount: Int { withState { $0.batchCount } }
    /// Whether `shutdown` was called.
    public var isShutDown: Bool { withState { $0.isShutDown } }
    /// How many times `forceFlush` was called.
    public var forceFlushCount: Int { withState { $0.forceFlushCount } }

    /// Forgets stored spans and counts (not the shut-down flag).
    public func reset() {
        withState { state in
            state.spans.removeAll()
            state.batchCount = 0
            state.exportedCount = 0
        }
    }
}
