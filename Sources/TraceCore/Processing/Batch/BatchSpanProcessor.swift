import Glibc
import Synchronization

/// Queues finished spans in a bounded ring and exports them in batches from one background thread
/// (OpenTelemetry SDK §Batching processor).
///
/// `onEnd` takes a lock only long enough to move the span into the pre-allocated `SpanRing`; it never waits for the
/// exporter. When the ring is full the span is dropped and `droppedCount` goes up. The export thread (a pthread, so
/// no Foundation) wakes when a full batch is queued, when `scheduleDelay` has passed since it last woke, or on
/// flush/shutdown, and is the only thread that ever calls the exporter.
public final class BatchSpanProcessor<Exporter: SpanExporter>: SpanProcessor, @unchecked Sendable {
    // Mutable state below is guarded by `lock` (a pthread mutex); counters are atomics and need no lock.

    /// The exporter every batch goes to.
    public let exporter: Exporter
    /// The queue and timing options.
    public let configuration: BatchSpanProcessorConfiguration
    /// Where exported spans' records go for reuse.
    public let recordPool: SpanRecordPool?

    private let lock = ConditionLock()
    private var ring: SpanRing  // guarded by lock
    private var enqueuedTotal: UInt64 = 0  // guarded by lock; spans ever appended
    private var processedTotal: UInt64 = 0  // guarded by lock; spans handed to the exporter and returned
    private var flushTarget: UInt64 = 0  // guarded by lock; export promptly until processedTotal reaches this
    private var isShuttingDown = false  // guarded by lock
    private var threadFinished = false  // guarded by lock
    private var wakeRequested = false  // guarded by lock; a full batch is waiting
    private var thread: PosixThread? = nil  // guarded by lock; taken by the first shutdown that sees the thread end

    /// `ring.count` as of the last change, readable without the lock (the export thread polls it while it spins).
    private let queuedCount = Atomic<Int>(0)
    private let droppedCounter = Atomic<Int>(0)
    private let exportedCounter = Atomic<Int>(0)
    private let failedCounter = Atomic<Int>(0)

    /// Spans dropped because the queue was full or the processor was shut down.
    public var droppedCount: Int { droppedCounter.load(ordering: .relaxed) }
    /// Spans handed to the exporter (whatever the result).
    public var exportedCount: Int { exportedCounter.load(ordering: .relaxed) }
    /// Spans in batches whose export returned `.failure`.
    public var failedExportCount: Int { failedCounter.load(ordering: .relaxed) }

    /// Creates the processor and starts its export thread.
    ///
    /// Sizes that make no sense are clamped (queue ≥ 1, 1 ≤ batch ≤ queue); call
    /// `BatchSpanProcessorConfiguration.validate()` first to report them instead.
    ///
    /// - Parameter recordPool: where the records of exported spans go for reuse (nil: they are freed).
    public init(
        exporter: Exporter, configuration: BatchSpanProcessorConfiguration = BatchSpanProcessorConfiguration(),
        recordPool: SpanRecordPool? = .shared
    ) {
        self.recordPool = recordPool
        var configuration = configuration
        configuration.maxQueueSize = Swift.max(1, configuration.maxQueueSize)
        configuration.maxExportBatchSize = Swift.min(Swift.max(1, configuration.maxExportBatchSize), configuration.maxQueueSize)
        self.exporter = exporter
        self.configuration = configuration
        self.ring = SpanRing(capacity: configuration.maxQueueSize)
        startThread()
    }

    /// Enqueues `span` for export, or drops and counts it when the queue is full or the processor is shut down.
    public func onEnd(_ span: consuming FinishedSpan) {
        lock.lock()
        if isShuttingDown || ring.isFull {
            lock.unlock()
            droppedCounter.add(1, ordering: .relaxed)
            return
        }
        ring.append(span)
        enqueuedTotal &+= 1
        queuedCount.store(ring.count, ordering: .relaxed)
        let wake = !wakeRequested && ring.count >= configuration.maxExportBatchSize
        if wake { wakeRequested = true }
        lock.unlock()
        if wake { lock.broadcast() }
    }

    /// Enqueues a batch under one lock; spans that do not fit (or arrive after shutdown) are dropped and counted.
    public func onEnd(batch spans: inout FinishedSpanBatch) {
        let offered = spans.count
        guard offered > 0 else { return }
        var accepted = 0
        lock.lock()
        if !isShuttingDown {
            accepted = Swift.min(offered, ring.capacity - ring.count)
            var index = 0
            while index < accepted {
                ring.append(spans.moveOut(at: index))
                index &+= 1
            }
            enqueuedTotal &+= UInt64(accepted)
            queuedCount.store(ring.count, ordering: .relaxed)
        }
        let wake = !wakeRequested && ring.count >= configuration.maxExportBatchSize
        if wake { wakeRequested = true }
        lock.unlock()
        spans.discard(movedPrefix: accepted)  // releases the spans that did not fit
        if accepted < offered { droppedCounter.add(offered - accepted, ordering: .relaxed) }
        if wake { lock.broadcast() }
    }

    /// Exports every span queued before the call; false if `timeoutNanos` passed first.
    public func forceFlush(timeoutNanos: UInt64) -> Bool {
        let deadline = MonotonicClock.nowNanoseconds().addingSaturating(timeoutNanos)
        lock.lock()
        defer { lock.unlock() }
        let target = enqueuedTotal
        if target > flushTarget { flushTarget = target }
        lock.broadcast()
        while processedTotal < target && !threadFinished {
            if MonotonicClock.nowNanoseconds() >= deadline { return false }
            lock.wait(untilMonotonic: deadline)
        }
        if processedTotal < target { return false }
        return true
    }

    /// Stops accepting spans, exports what is queued, then shuts the exporter down (on the export thread); false if
    /// `timeoutNanos` passed first, in which case the thread finishes in the background. Calling it again is harmless.
    public func shutdown(timeoutNanos: UInt64) -> Bool {
        let deadline = MonotonicClock.nowNanoseconds().addingSaturating(timeoutNanos)
        lock.lock()
        isShuttingDown = true
        lock.broadcast()
        while !threadFinished {
            if MonotonicClock.nowNanoseconds() >= deadline {
                lock.unlock()
                return false
            }
            lock.wait(untilMonotonic: deadline)
        }
        let joinable = thread
        thread = nil
        lock.unlock()
        joinable?.join()
        return true
    }

    // MARK: Export thread

    /// Full batches arriving closer together than this make the export thread spin for the next one instead of
    /// sleeping (see `runExportLoop`); far above what a proxy produces, so it only applies to span floods.
    private static var spinBelowBatchIntervalNanoseconds: UInt64 { 200_000 }
    /// When the previous full batch started exporting (export thread only).
    private var lastBatchStarted: UInt64 = 0

    /// Yields the CPU until `batchSize` spans are queued or `nanoseconds` pass (at most 400 µs, so a flush or shutdown
    /// arriving meanwhile waits no longer than that).
    private func spinUntilBatchQueued(_ batchSize: Int, forNanoseconds nanoseconds: UInt64) {
        let deadline = MonotonicClock.nowNanoseconds() &+ nanoseconds
        while queuedCount.load(ordering: .relaxed) < batchSize {
            sched_yield()
            if MonotonicClock.nowNanoseconds() >= deadline { return }
        }
    }

    private func startThread() {
        let started = PosixThread.start { [self] in runExportLoop() }
        lock.withLock { thread = started }
    }

    /// The export thread's body: wait for work, drain one batch, export it outside the lock, repeat.
    private func runExportLoop() {
        let batchSize = configuration.maxExportBatchSize
        let delay = configuration.scheduleDelay.saturatingNanoseconds
        var batch: [FinishedSpan] = []
        batch.reserveCapacity(batchSize)
        var nextScheduled = MonotonicClock.nowNanoseconds().addingSaturating(delay)

        lock.lock()
        while true {
            // Sleep until there is a reason to export.
            while ring.count < batchSize && !isShuttingDown && processedTotal >= flushTarget {
                let now = MonotonicClock.nowNanoseconds()
                if now >= nextScheduled { break }
                lock.wait(untilMonotonic: nextScheduled)
            }
            if ring.isEmpty {
                if isShuttingDown { break }
                nextScheduled = MonotonicClock.nowNanoseconds().addingSaturating(delay)
                continue
            }
            ring.drain(upTo: batchSize, into: &batch)
            queuedCount.store(ring.count, ordering: .relaxed)
            wakeRequested = ring.count >= batchSize
            let batchStarted = MonotonicClock.nowNanoseconds()
            let sinceLastBatch = batchStarted &- lastBatchStarted
            lastBatchStarted = batchStarted
            lock.unlock()

            let count = batch.count
            let result = exporter.export(batch)
            if let recordPool {
                recordPool.recycle(&batch)  // the records nothing else holds go back to the span factories
            } else {
                batch.removeAll(keepingCapacity: true)
            }
            exportedCounter.add(count, ordering: .relaxed)
            if case .failure = result { failedCounter.add(count, ordering: .relaxed) }

            lock.lock()
            processedTotal &+= UInt64(count)
            if ring.count < batchSize {
                nextScheduled = MonotonicClock.nowNanoseconds().addingSaturating(delay)
            }
            lock.broadcast()  // flush and shutdown waiters re-check processedTotal
            if count == batchSize, sinceLastBatch < Self.spinBelowBatchIntervalNanoseconds, ring.count < batchSize,
               !isShuttingDown, !wakeRequested
            {
                // Full batches are arriving faster than a futex wake-up is worth: the producers would pay a wake-up
                // (a system call and an inter-processor interrupt) per batch. Tell them not to signal and watch the
                // queue for a while instead; if the next batch does not fill in time, fall back to waiting.
                wakeRequested = true
                lock.unlock()
                spinUntilBatchQueued(batchSize, forNanoseconds: 2 &* sinceLastBatch)
                lock.lock()
                wakeRequested = ring.count >= batchSize
            }
        }
        lock.unlock()

        exporter.forceFlush()
        exporter.shutdown()

        lock.lock()
        threadFinished = true
        lock.broadcast()
        lock.unlock()
    }
}
