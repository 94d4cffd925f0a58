/// Recycles `SpanRecord`s from the threads that export spans back to the threads that start them.
///
/// Without it every recorded span costs a `malloc` on the worker that starts it and a `free` on the export thread
/// that drops it; the allocator then moves memory between threads on every span (its per-thread cache fills on one
/// side and runs dry on the other). Exported batches come back here whole and go out whole to a `SpanFactory`'s own
/// stack, so the lock is taken once per batch on either side.
///
/// The export thread hands back its batch array as it is: it does not look at the records. Whether a record can be
/// reused (nothing else holds it, its attribute storage stayed small) is checked by the factory that pops it, on the
/// thread that is about to write the record anyway, so a record's memory does not travel to the export thread and
/// back only for the check (the cross-core cache traffic that check cost was about a third of a span's lifecycle).
/// Bounded: at most `capacity` spans wait here; beyond that the export thread releases its batch itself.
public final class SpanRecordPool: @unchecked Sendable {  // `batches`, `waiting` and `emptyArrays` are guarded by `lock`
    /// The pool every factory and batch processor uses unless given another.
    public static let shared = SpanRecordPool(capacity: 4096)

    /// Most spans kept waiting.
    public let capacity: Int
    /// Records a factory keeps for itself from spans nobody exports, and spans it starts before asking an empty
    /// pool again.
    static let refillCount = 64
    /// Records whose attribute storage exceeds this many bytes are not recycled.
    static let largestRecycledAttributeBytes = 4096
    /// Drained arrays kept for the export threads' next batches.
    private static let maximumEmptyArrays = 64

    private let lock = ConditionLock()
    private var batches: [[FinishedSpan]] = []
    private var waiting = 0
    private var emptyArrays: [[FinishedSpan]] = []

    /// Creates an empty pool holding at most `capacity` spans.
    public init(capacity: Int) {
        self.capacity = Swift.max(0, capacity)
    }

    /// Spans currently waiting (for tests and metrics); each becomes a reused record unless something else still
    /// holds it when a factory takes it.
    public var count: Int { lock.withLock { waiting } }

    /// Swaps the empty `stack` for a returned batch, if one waits; the emptied array is kept for an export thread.
    func refill(_ stack: inout [FinishedSpan]) {
        lock.lock()
        guard var batch = batches.popLast() else {
            lock.unlock()
            return
        }
        waiting -= batch.count
        swap(&batch, &stack)
        if batch.capacity > 0, emptyArrays.count < Self.maximumEmptyArrays {
            emptyArrays.append(batch)
        }
        lock.unlock()
    }

    /// The record of `span`, cleared for another span, when nothing else references it and its attribute storage
    /// is small enough to keep; nil otherwise (the record is then freed with the span).
    static func reusableRecord(of span: consuming FinishedSpan) -> SpanRecord? {
        var record = span.record
        _ = consume span
        guard isKnownUniquelyReferenced(&record), record.attributeBytes <= largestRecycledAttributeBytes else {
            return nil
        }
        record.clearForReuse()
        return record
    }

    /// Takes the exported spans in `spans` for the span factories, leaving `spans` empty (an array with room for as
    /// many, for the caller's next batch).
    ///
    /// Called by the export thread after a batch was exported. When the pool is full the spans are released here.
    public func recycle(_ spans: inout [FinishedSpan]) {
        let count = spans.count
        guard count > 0 else { return }
        var replacement: [FinishedSpan] = []
        lock.lock()
        let fits = waiting + count <= capacity
        if fits {
            waiting += count
            if let empty = emptyArrays.popLast() { replacement = empty }
            swap(&replacement, &spans)
            batches.append(replacement)
        }
        lock.unlock()
        if fits {
            if spans.capacity < count { spans.reserveCapacity(count) }
        } else {
            spans.removeAll(keepingCapacity: true)
        }
    }
}
