/// A growable output buffer that encoders write into through raw pointers, without zero-filling the room they
/// reserve first (`[UInt8]` can only grow by initialised elements).
///
/// An exporter keeps one and reuses it for every batch: `removeAll()` keeps the capacity unless a large batch grew it
/// past `retainedCapacityLimit`. Not thread-safe: the owner serialises every use.
public final class RawOutputBuffer {
    /// Capacity above which `removeAll()` frees the storage and starts again from the initial capacity.
    public static let retainedCapacityLimit = 4 << 20

    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    private let initialCapacity: Int
    /// Bytes written.
    public private(set) var count = 0

    /// Creates an empty buffer with `capacity` bytes of room.
    public init(capacity: Int = 64 << 10) {
        initialCapacity = Swift.max(capacity, 64)
        self.capacity = initialCapacity
        base = .allocate(byteCount: initialCapacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Forgets the bytes written, keeping the storage unless it grew past `retainedCapacityLimit`.
    public func removeAll() {
        count = 0
        if capacity > Self.retainedCapacityLimit {
            base.deallocate()
            capacity = initialCapacity
            base = .allocate(byteCount: capacity, alignment: 16)
        }
    }

    /// Calls `body` with the bytes written.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Makes room for `bound` more bytes, lets `body` write at most that many with a `Writer` at the end, and keeps
    /// what it wrote.
    @inline(__always)
    func withRoom<Writer: ReservedRoomWriter>(_ bound: Int, as _: Writer.Type, _ body: (inout Writer) -> Void) {
        if capacity &- count < bound { grow(minimum: count &+ bound) }
        var w = Writer(base: base + count)
        body(&w)
        precondition(w.offset <= bound, "size bound too small for \(Writer.self)")
        count &+= w.offset
    }

    @inline(never)
    private func grow(minimum: Int) {
        var newCapacity = capacity
        while newCapacity < minimum { newCapacity &*= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
