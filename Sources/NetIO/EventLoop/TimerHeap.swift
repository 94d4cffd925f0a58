import IOCore

/// A min-heap of loop timers ordered by deadline, with O(1) cancellation by lazy deletion.
///
/// Cancelled entries stay in the heap until they reach the top or until they outnumber live ones, at which point
/// the heap is rebuilt; per-request idle timers that are almost always cancelled therefore cost amortised O(log n)
/// and memory stays proportional to the live timers.
struct TimerHeap {
    private struct Entry {
        var deadline: UInt64
        var id: UInt64
    }

    private var heap: [Entry] = []
    private var bodies: [UInt64: () -> Void] = [:]
    private var nextID: UInt64 = 1

    /// Number of live (not cancelled, not fired) timers.
    var count: Int { bodies.count }

    /// The earliest live deadline, if any.
    mutating func earliestDeadline() -> UInt64? {
        dropCancelledTop()
        return heap.first?.deadline
    }

    mutating func insert(deadline: UInt64, body: @escaping () -> Void) -> TimerHandle {
        let id = nextID
        nextID += 1
        bodies[id] = body
        heap.append(Entry(deadline: deadline, id: id))
        siftUp(heap.count - 1)
        return TimerHandle(id: id)
    }

    /// Returns whether the timer was still pending.
    @discardableResult
    mutating func cancel(_ handle: TimerHandle) -> Bool {
        guard bodies.removeValue(forKey: handle.id) != nil else { return false }
        if heap.count > 64, heap.count > 2 * bodies.count { rebuild() }
        return true
    }

    /// Removes and returns the body of the earliest timer due at or before `now`.
    mutating func popDue(now: UInt64) -> (() -> Void)? {
        while let top = heap.first, top.deadline <= now {
            removeTop()
            if let body = bodies.removeValue(forKey: top.id) { return body }
        }
        return nil
    }

    mutating func removeAll() {
        heap.removeAll()
        bodies.removeAll()
    }

    private mutating func dropCancelledTop() {
        while let top = heap.first, bodies[top.id] == nil { removeTop() }
    }

    private mutating func removeTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func rebuild() {
        heap.removeAll { bodies[$0.id] == nil }
        var i = heap.count / 2
        while i > 0 {
            i -= 1
            siftDown(i)
        }
    }

    private func less(_ a: Entry, _ b: Entry) -> Bool {
        a.deadline != b.deadline ? a.deadline < b.deadline : a.id < b.id
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var smallest = left
            if left + 1 < heap.count, less(heap[left + 1], heap[left]) { smallest = left + 1 }
            guard less(heap[smallest], heap[parent]) else { return }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
    }
}
