/// A free list of byte buffers owned by one event loop, so steady-state I/O allocates no storage.
///
/// Not `Sendable`: each loop has its own pool and only that loop's thread touches it (one owner per resource,
/// as in nghttpx's `Worker`). The pool is bounded: buffers beyond `maximumPooled`, or grown beyond
/// `maximumRetainedCapacity`, are dropped instead of returned, so memory stays bounded by construction.
public final class BufferPool {
    /// Capacity of a freshly allocated buffer, in bytes.
    public let bufferCapacity: Int
    /// Most buffers kept on the free list.
    public let maximumPooled: Int
    /// Buffers whose capacity grew past this are not kept.
    public let maximumRetainedCapacity: Int
    private var free: [ByteBuffer] = []

    /// Creates an empty pool.
    /// - Parameters:
    ///   - bufferCapacity: bytes per new buffer (default 16 KiB, one TLS record).
    ///   - maximumPooled: free-list bound (default 256).
    ///   - maximumRetainedCapacity: larger buffers are released on recycle (default 1 MiB).
    public init(bufferCapacity: Int = 16 * 1024, maximumPooled: Int = 256, maximumRetainedCapacity: Int = 1 << 20) {
        self.bufferCapacity = bufferCapacity
        self.maximumPooled = maximumPooled
        self.maximumRetainedCapacity = maximumRetainedCapacity
        free.reserveCapacity(maximumPooled)
    }

    /// Number of buffers currently waiting on the free list.
    public var pooledCount: Int { free.count }

    /// Returns an empty buffer from the free list, or a new one of `bufferCapacity` bytes.
    public func take() -> ByteBuffer {
        if let buffer = free.popLast() { return buffer }
        return ByteBuffer(capacity: bufferCapacity)
    }

    /// Gives a buffer back; it is cleared and kept if the pool has room and nobody else shares its storage.
    public func recycle(_ buffer: consuming ByteBuffer) {
        guard free.count < maximumPooled, buffer.capacity <= maximumRetainedCapacity,
              buffer.capacity >= bufferCapacity else { return }
        guard buffer.isUniquelyOwned else { return }
        buffer.clear()
        free.append(buffer)
    }
}

@available(*, unavailable)
extension BufferPool: Sendable {}

extension ByteBuffer {
    /// Whether this value is the only reference to its storage (so reusing it cannot affect another buffer).
    public var isUniquelyOwned: Bool {
        mutating get { isKnownUniquelyReferenced(&storage) }
    }
}
