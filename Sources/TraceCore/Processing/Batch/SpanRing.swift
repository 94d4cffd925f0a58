/// A fixed-capacity FIFO of finished spans in one pre-allocated buffer.
///
/// The batch processor's queue: `append` never allocates and fails when full (the caller drops and counts, as
/// nginx-otel does), so memory is bounded by construction. Not synchronised; the owner holds a lock.
struct SpanRing: ~Copyable {
    private let storage: UnsafeMutablePointer<FinishedSpan>
    /// Slots in the buffer.
    let capacity: Int
    private var head = 0
    /// Spans currently queued.
    private(set) var count = 0

    init(capacity: Int) {
        precondition(capacity > 0, "SpanRing capacity must be positive")
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    deinit {
        var index = head
        for _ in 0..<count {
            (storage + index).deinitialize(count: 1)
            index = index + 1 == capacity ? 0 : index + 1
        }
        storage.deallocate()
    }

    /// Whether no span is queued.
    var isEmpty: Bool { count == 0 }

    /// Whether no slot is free.
    var isFull: Bool { count == capacity }

    /// Moves `span` into the next free slot; the caller checks `isFull` first.
    @inline(__always)
    mutating func append(_ span: consuming FinishedSpan) {
        precondition(count < capacity, "SpanRing.append on a full ring")
        var tail = head + count
        if tail >= capacity { tail -= capacity }
        (storage + tail).initialize(to: span)
        count += 1
    }

    /// Moves up to `maximum` spans from the front into `batch` (appending).
    mutating func drain(upTo maximum: Int, into batch: inout [FinishedSpan]) {
        let taken = Swift.min(maximum, count)
        for _ in 0..<taken {
            batch.append((storage + head).move())
            head = head + 1 == capacity ? 0 : head + 1
        }
        count -= taken
    }
}
