/// A growable byte buffer with separate reader and writer indices over copy-on-write storage.
///
/// Readable bytes are `readerIndex..<writerIndex`; writable space is `writerIndex..<capacity`. The storage is a
/// single malloc'd region, so a loop can hand `withUnsafeReadableBytes` views straight to `writev` and
/// `withUnsafeMutableWritableBytes` straight to `read` (one copy, no intermediate arrays). Copies happen only when a
/// shared buffer is mutated, so a fixed response can be enqueued on many connections without copying it.
public struct ByteBuffer: Sendable {
    @usableFromInline var storage: ByteBufferStorage
    @usableFromInline var _readerIndex: Int
    @usableFromInline var _writerIndex: Int

    /// Creates an empty buffer with at least `capacity` writable bytes.
    public init(capacity: Int = 0) {
        storage = capacity > 0 ? ByteBufferStorage(capacity: capacity) : ByteBufferStorage.empty
        _readerIndex = 0
        _writerIndex = 0
    }

    /// Creates a buffer holding a copy of `bytes`.
    public init(bytes: UnsafeRawBufferPointer) {
        self.init(capacity: bytes.count)
        writeBytes(bytes)
    }

    /// Creates a buffer holding a copy of `bytes`.
    public init(bytes: some Collection<UInt8>) {
        self.init(capacity: bytes.count)
        writeBytes(bytes)
    }

    /// Creates a buffer holding the UTF-8 bytes of `string`.
    public init(string: String) {
        self.init(capacity: string.utf8.count)
        writeString(string)
    }

    /// Index of the first readable byte.
    @inlinable public var readerIndex: Int { _readerIndex }
    /// Index one past the last readable byte, where the next write lands.
    @inlinable public var writerIndex: Int { _writerIndex }
    /// Number of bytes between the reader and writer indices.
    @inlinable public var readableBytes: Int { _writerIndex - _readerIndex }
    /// Number of bytes that can be written without growing.
    @inlinable public var writableBytes: Int { storage.capacity - _writerIndex }
    /// Total bytes of storage currently allocated.
    @inlinable public var capacity: Int { storage.capacity }
    /// Whether no bytes are readable.
    @inlinable public var isEmpty: Bool { _writerIndex == _readerIndex }

    /// Ensures at least `minimumWritableBytes` can be written without another allocation.
    @inlinable
    public mutating func reserveCapacity(minimumWritableBytes: Int) {
        if !isKnownUniquelyReferenced(&storage) || writableBytes < minimumWritableBytes {
            makeUniqueAndReserve(minimumWritableBytes)
        }
    }

    @inline(never)
    @usableFromInline
    mutating func makeUniqueAndReserve(_ minimumWritableBytes: Int) {
        let needed = _writerIndex + max(0, minimumWritableBytes)
        if isKnownUniquelyReferenced(&storage) {
            if needed > storage.capacity { storage.grow(to: Self.roundedCapacity(needed)) }
        } else {
            // Shared: copy only the readable bytes, rebased to index 0.
            let readable = readableBytes
            let fresh = ByteBufferStorage(capacity: Self.roundedCapacity(readable + max(0, minimumWritableBytes)))
            if readable > 0 {
                fresh.bytes.copyMemory(from: storage.bytes + _readerIndex, byteCount: readable)
            }
            storage = fresh
            _readerIndex = 0
            _writerIndex = readable
        }
    }

    @usableFromInline
    static func roundedCapacity(_ needed: Int) -> Int {
        guard needed > 64 else { return 64 }
        // Next power of two keeps amortised appends O(1).
        return 1 << (Int.bitWidth - (needed - 1).leadingZeroBitCount)
    }

    /// Appends exactly `count` bytes that `body` writes at the address it is given.
    ///
    /// One capacity and uniqueness check for a run of small pieces (a field line's name, separator, value and line
    /// end), where writing them one by one would check (and call the runtime's uniqueness test) for each piece.
    /// `body` must initialize all `count` bytes and must not touch this buffer.
    @inlinable
    public mutating func writeReserved(_ count: Int, _ body: (UnsafeMutableRawPointer) -> Void) {
        precondition(count >= 0, "writeReserved needs a non-negative count")
        reserveCapacity(minimumWritableBytes: count)
        body(storage.bytes + _writerIndex)
        _writerIndex += count
    }

    /// Appends a copy of `bytes` at the writer index.
    @inlinable
    public mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        reserveCapacity(minimumWritableBytes: bytes.count)
        (storage.bytes + _writerIndex).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        _writerIndex += bytes.count
    }

    /// Appends a copy of the bytes of `collection` at the writer index.
    @inlinable
    public mutating func writeBytes(_ collection: some Collection<UInt8>) {
        let written: Void? = collection.withContiguousStorageIfAvailable { writeBytes(UnsafeRawBufferPointer($0)) }
        if written != nil { return }
        reserveCapacity(minimumWritableBytes: collection.count)
        var offset = _writerIndex
        for byte in collection {
            storage.bytes.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
            offset += 1
        }
        _writerIndex = offset
    }

    /// Appends the contents of another buffer's readable bytes.
    @inlinable
    public mutating func writeBuffer(_ other: ByteBuffer) {
        other.withUnsafeReadableBytes { writeBytes($0) }
    }

    /// Appends the UTF-8 bytes of `string`.
    @inlinable
    public mutating func writeString(_ string: String) {
        var string = string
        string.withUTF8 { writeBytes(UnsafeRawBufferPointer($0)) }
    }

    /// Appends `value` in big-endian (network) byte order unless told otherwise.
    @inlinable
    public mutating func writeInteger<T: FixedWidthInteger>(_ value: T, bigEndian: Bool = true) {
        var v = bigEndian ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: &v) { writeBytes($0) }
    }

    /// Reads a `T` from the reader index in big-endian order unless told otherwise, or nil if too few bytes.
    @inlinable
    public mutating func readInteger<T: FixedWidthInteger>(as: T.Type = T.self, bigEndian: Bool = true) -> T? {
        let size = MemoryLayout<T>.size
        guard readableBytes >= size else { return nil }
        let raw = (storage.bytes + _readerIndex).loadUnaligned(as: T.self)
        _readerIndex += size
        return bigEndian ? T(bigEndian: raw) : T(littleEndian: raw)
    }

    /// Copies and consumes `length` bytes, or returns nil if fewer are readable.
    public mutating func readBytes(length: Int) -> [UInt8]? {
        guard length >= 0, readableBytes >= length else { return nil }
        let result = [UInt8](UnsafeRawBufferPointer(start: storage.bytes + _readerIndex, count: length))
        _readerIndex += length
        return result
    }

    /// Consumes `count` readable bytes without copying them (e.g. after a partial write or a parsed header).
    @inlinable
    public mutating func moveReaderIndex(forwardBy count: Int) {
        precondition(count >= 0 && count <= readableBytes, "moveReaderIndex past writerIndex")
        _readerIndex += count
        if _readerIndex == _writerIndex, isKnownUniquelyReferenced(&storage) {
            // Fully consumed: reuse the storage from the start.
            _readerIndex = 0
            _writerIndex = 0
        }
    }

    /// Marks `count` bytes written directly into the writable region (after `withUnsafeMutableWritableBytes`).
    @inlinable
    public mutating func moveWriterIndex(forwardBy count: Int) {
        precondition(count >= 0 && count <= writableBytes, "moveWriterIndex past capacity")
        _writerIndex += count
    }

    /// Forgets the bytes written after `index` (a readable position), so the buffer can be written again from there.
    ///
    /// The storage is not touched: a copy of this buffer that shares it keeps its own bytes (the next write here
    /// copies the storage first if it is still shared).
    @inlinable
    public mutating func moveWriterIndex(backTo index: Int) {
        precondition(index >= _readerIndex && index <= _writerIndex, "moveWriterIndex(backTo:) outside the readable bytes")
        _writerIndex = index
    }

    /// Calls `body` with a view of the readable bytes; the view is valid only during the call.
    @inlinable
    public func withUnsafeReadableBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.bytes + _readerIndex, count: readableBytes))
    }

    /// Calls `body` with the writable region; `body` returns how many bytes it wrote alongside its result.
    ///
    /// The writer index advances by the returned count, so a `read(2)` can land bytes in place.
    @inlinable
    public mutating func withUnsafeMutableWritableBytes<R>(
        _ body: (UnsafeMutableRawBufferPointer) throws -> (written: Int, result: R)
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { makeUniqueAndReserve(0) }
        let region = UnsafeMutableRawBufferPointer(start: storage.bytes + _writerIndex, count: writableBytes)
        let (written, result) = try body(region)
        moveWriterIndex(forwardBy: written)
        return result
    }

    /// Moves the readable bytes to the start of storage so the consumed prefix can be written again.
    public mutating func discardReadBytes() {
        guard _readerIndex > 0 else { return }
        if !isKnownUniquelyReferenced(&storage) {
            makeUniqueAndReserve(0)
            return
        }
        let readable = readableBytes
        if readable > 0 {
            storage.bytes.copyMemory(from: storage.bytes + _readerIndex, byteCount: readable)
        }
        _readerIndex = 0
        _writerIndex = readable
    }

    /// Empties the buffer, keeping its storage (if not shared) for reuse.
    @inlinable
    public mutating func clear() {
        if !isKnownUniquelyReferenced(&storage) {
            storage = storage.capacity > 0 ? ByteBufferStorage(capacity: storage.capacity) : ByteBufferStorage.empty
        }
        _readerIndex = 0
        _writerIndex = 0
    }
}

extension ByteBuffer: Equatable {
    /// Two buffers are equal when their readable bytes are equal, regardless of indices or capacity.
    public static func == (lhs: ByteBuffer, rhs: ByteBuffer) -> Bool {
        guard lhs.readableBytes == rhs.readableBytes else { return false }
        return lhs.withUnsafeReadableBytes { l in
            rhs.withUnsafeReadableBytes { r in l.elementsEqual(r) }
        }
    }
}

/// The heap region behind a `ByteBuffer`.
///
/// `@unchecked Sendable`: the region is only mutated through a `ByteBuffer` that holds the sole reference
/// (`isKnownUniquelyReferenced`), so a storage visible to two threads is never written.
@usableFromInline
final class ByteBufferStorage: @unchecked Sendable {
    @usableFromInline private(set) var bytes: UnsafeMutableRawPointer
    @usableFromInline private(set) var capacity: Int

    /// The shared zero-capacity storage, so empty buffers (placeholders in queues) allocate nothing.
    @usableFromInline
    static let empty = ByteBufferStorage(capacity: 0)

    @usableFromInline
    init(capacity: Int) {
        self.capacity = max(capacity, 0)
        bytes = UnsafeMutableRawPointer.allocate(byteCount: max(self.capacity, 1), alignment: 16)
    }

    @usableFromInline
    func grow(to newCapacity: Int) {
        guard newCapacity > capacity else { return }
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        fresh.copyMemory(from: bytes, byteCount: capacity)
        bytes.deallocate()
        bytes = fresh
        capacity = newCapacity
    }

    deinit { bytes.deallocate() }
}
