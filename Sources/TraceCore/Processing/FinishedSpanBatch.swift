/// A fixed-capacity buffer of ended spans that one thread fills and hands to a processor in a single call
/// (`SpanProcessor.onEnd(batch:)`), so queue locks and cache-line transfers are paid once per batch, not per span.
///
/// Non-copyable: spans are moved in and out, never retained twice. `SpanFactory` owns one per thread when created
/// with `endBatchCapacity > 1`.
public struct FinishedSpanBatch: ~Copyable {
    private let storage: UnsafeMutablePointer<FinishedSpan>
    /// Spans the batch holds when full.
    public let capacity: Int
    /// Spans currently held.
    public private(set) var count: Int

    /// Creates an empty batch with room for `capacity` spans (at least 1).
    public init(capacity: Int) {
        self.capacity = Swift.max(1, capacity)
        storage = .allocate(capacity: self.capacity)
        count = 0
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    /// Whether no span is held.
    public var isEmpty: Bool { count == 0 }
    /// Whether the batch has no free slot.
    public var isFull: Bool { count == capacity }

    /// Moves `span` into the batch; the caller checks `isFull` first.
    @inline(__always)
    public mutating func append(_ span: consuming FinishedSpan) {
        precondition(count < capacity, "FinishedSpanBatch.append on a full batch")
        (storage + count).initialize(to: span)
        count &+= 1
    }

    /// Moves every span out to `body`, in order, leaving the batch empty.
    public mutating func drain(_ body: (consuming FinishedSpan) -> Void) {
        let held = count
        count = 0
        for index in 0..<held { body((storage + index).move()) }
    }

    /// Releases every span held.
    public mutating func removeAll() {
        storage.deinitialize(count: count)
        count = 0
    }

    /// A batch holding copies of these spans (for a fan-out to several processors).
    public func copy() -> FinishedSpanBatch {
        var copy = FinishedSpanBatch(capacity: capacity)
        for index in 0..<count { copy.append(storage[index]) }
        return copy
    }

    /// Moves the span at `index` out; the caller then calls `discard(movedPrefix:)` with every index it moved.
    @inline(__always)
    mutating func moveOut(at index: Int) -> FinishedSpan {
        (storage + index).move()
    }

    /// After `moveOut` of indices `0..<moved`: releases the spans left behind and empties the batch.
    mutating func discard(movedPrefix moved: Int) {
        if count > moved { (storage + moved).deinitialize(count: count - moved) }
        count = 0
    }
}
