/// The mutable per-thread state of a `SpanFactory`: its id generator and the wall/monotonic clock calibration.
///
/// The factory keeps it behind a pointer it owns rather than in stored `var`s, so the per-span updates cost no
/// dynamic exclusivity check (`swift_beginAccess` on a class property, measured at a few percent of a proxied request).
struct SpanFactoryState: ~Copyable {
    /// This thread's id generator.
    var idGenerator: IDGenerator
    /// Wall time minus monotonic time, in nanoseconds, as last calibrated.
    var wallOffset: Int64 = 0
    /// Monotonic reading at the last calibration.
    var calibratedAt: UInt64 = 0

    /// Ended spans not yet handed to the processor (unused when `batchesEndedSpans` is false).
    var endedSpans: FinishedSpanBatch
    /// Whether ended spans are collected in `endedSpans` rather than handed over one by one.
    let batchesEndedSpans: Bool

    /// Ended spans whose records the next spans may reuse (refilled from the pool a batch at a time); each is checked
    /// for reuse when popped (`SpanRecordPool.reusableRecord(of:)`).
    var records: [FinishedSpan] = []
    /// Spans to start before asking the pool again after it had nothing (no exporter returns records: skip its lock).
    var refillBackoff = 0

    init(idGenerator: consuming IDGenerator, endBatchCapacity: Int) {
        self.idGenerator = idGenerator
        batchesEndedSpans = endBatchCapacity > 1
        endedSpans = FinishedSpanBatch(capacity: endBatchCapacity)
    }
}
