import CSystemShims
import Glibc
import IOCore

/// The queue of bytes accepted for writing but not yet taken by the kernel.
///
/// Bookkeeping only (no syscalls): it fills an iovec array for `writev` and consumes what the kernel took, so the
/// connection performs the I/O and this type can be unit-tested. Buffers enqueued by the caller are never mutated
/// (a shared response is sent from its one copy); small copied writes are coalesced into a pooled tail buffer.
struct PendingWrites {
    private var buffers: [ByteBuffer] = []
    private var head = 0
    /// Whether the last buffer came from the pool and may be appended to.
    private var tailIsPooled = false
    /// Total readable bytes queued.
    private(set) var byteCount = 0

    var isEmpty: Bool { byteCount == 0 }
    var bufferCount: Int { buffers.count - head }

    /// Queues `buffer`; with `acceptsCopies` later `appendCopy` calls may fill its free room (the caller let go of
    /// it, so nothing else sees those bytes; were its storage still shared, the append would copy it first).
    mutating func append(_ buffer: ByteBuffer, acceptsCopies: Bool = false) {
        guard buffer.readableBytes > 0 else { return }
        byteCount += buffer.readableBytes
        buffers.append(buffer)
        tailIsPooled = acceptsCopies
    }

    mutating func appendCopy(of bytes: UnsafeRawBufferPointer, pool: BufferPool) {
        guard bytes.count > 0 else { return }
        byteCount += bytes.count
        if tailIsPooled, buffers.count > head, buffers[buffers.count - 1].writableBytes >= bytes.count {
            buffers[buffers.count - 1].writeBytes(bytes)
            return
        }
        var buffer = pool.take()
        buffer.writeBytes(bytes)
        buffers.append(buffer)
        tailIsPooled = true
    }

    /// Fills up to `maximum` iovecs from the head; returns how many were filled and their total length.
    ///
    /// The iovecs point into the queued buffers' storage, which stays put until `consume` (nothing appends to a
    /// buffer beyond its current capacity).
    func fillIOVecs(_ iovecs: UnsafeMutablePointer<iovec>, maximum: Int) -> (count: Int, bytes: Int) {
        var count = 0
        var total = 0
        var index = head
        while index < buffers.count, count < maximum {
            buffers[index].withUnsafeReadableBytes { bytes in
                iovecs[count] = iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count)
                total += bytes.count
            }
            count += 1
            index += 1
        }
        return (count, total)
    }

    /// Drops `written` bytes from the head, returning emptied buffers to `pool`.
    mutating func consume(_ written: Int, pool: BufferPool) {
        var remaining = written
        byteCount -= written
        // The buffers written in full: `head..<done`.
        var done = head
        while remaining > 0 {
            let readable = buffers[done].readableBytes
            if readable <= remaining {
                remaining -= readable
                done += 1
            } else {
                buffers[done].moveReaderIndex(forwardBy: remaining)
                remaining = 0
            }
        }
        if done == buffers.count {
            // Everything left (the usual case): each buffer is moved out from the end, leaving no placeholder
            // behind for the array to destroy one by one through the runtime's generic path.
            while buffers.count > head { pool.recycle(buffers.removeLast()) }
            if !buffers.isEmpty { buffers.removeAll(keepingCapacity: true) }  // placeholders of earlier partial writes
            head = 0
            tailIsPooled = false
            return
        }
        while head < done {
            var finished = ByteBuffer()
            swap(&finished, &buffers[head])
            pool.recycle(consume finished)
            head += 1
        }
        if head >= 16, head * 2 >= buffers.count {
            buffers.removeFirst(head)
            head = 0
        }
    }

    mutating func removeAll(pool: BufferPool) {
        consume(byteCount, pool: pool)
    }
}
