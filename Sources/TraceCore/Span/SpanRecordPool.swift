/// Recycles `SpanRecord`s from the threads that export spans back to the threads that start them.
///
/// Without it every recorded span costs a `malloc` on the worker that starts it and a `free` on the export thread
/// that drops it; the allocator then moves memory between threads on every span (its per-thread cache fills on one
/// side and runs dry on the other). Records come back here in batches after export (only when nothing else holds
/// them) and go out in batches to each `SpanFactory`'s own stack, so the lock is taken once per batch on either
/// side. Bounded: at most `capacity` records wait here, and records whose attribute storage grew large are freed
/// instead of kept.
public final class SpanRecordPool: @unchecked Sendable {  // `records` is guarded by `lock`
    /// The pool every factory and batch processor uses unless given another.
    public static let shared = SpanRecordPool(capacity: 4096)

    /// Most records kept waiting.
    public let capacity: Int
    /// Records handed out per refill of a factory's stack.
    static let refillCount = 64
    /// Records whose attribute storage exceeds this many bytes are not recycled.
    static let largestRecycledAttributeBytes = 4096

    private let lock = ConditionLock()
    private var records: [SpanRecord] = []

    /// Creates an empty pool holding at most `capacity` records.
    public init(capacity: Int) {
        self.capacity = Swift.max(0, capacity)
    }

    /// Records currently waiting (for tests and metrics).
    public var count: Int { lock.withLock { records.count } }

    /// Moves up to `refillCount` records into `stack`.
    func refill(_ stack: inout [SpanRecord]) {
        lock.lock()
        let taken = Swift.min(Self.refillCount, records.count)
        if taken > 0 {
            stack.append(contentsOf: records[(records.count - taken)...])
            records.removeLast(taken)
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

    /// Takes back the records of exported spans in `spans` that nothing else references, emptying `spans`.
    ///
    /// Called by the export thread after a batch was exported; cleared records wait for the next `refill`.
    public func recycle(_ spans: inout [FinishedSpan]) {
        var reusable: [SpanRecord] = []
        reusable.reserveCapacity(spans.count)
        while let span = spans.popLast() {
            if let record = Self.reusableRecord(of: consume span) { reusable.append(record) }
        }
        guard !reusable.isEmpty else { return }
        lock.lock()
        let room = capacity - records.count
        if room > 0 { records.append(contentsOf: reusable.prefix(room)) }
        lock.unlock()
    }
}
