/// Growable byte storage the serializer appends to, so the proxy can pass its own buffer type.
///
/// `[UInt8]` conforms; reserve capacity once and reuse it, and serializing allocates nothing.
public protocol HTTP1ByteSink {
    /// Appends `bytes`.
    mutating func write(_ bytes: UnsafeRawBufferPointer)
    /// Appends one byte.
    mutating func write(byte: UInt8)
    /// Appends exactly `count` bytes that `body` writes at the address it is given (room reserved once for several
    /// pieces); `body` must initialize all `count` bytes and must not touch the sink.
    mutating func writeReserved(_ count: Int, _ body: (UnsafeMutableRawPointer) -> Void)
}

/// Writes consecutive pieces into room a sink reserved (`HTTP1ByteSink.writeReserved`), advancing past each.
///
/// The caller sums the pieces' lengths first and reserves exactly that; nothing is checked per piece.
public struct HTTP1ByteCursor {
    /// Where the next piece goes.
    public var position: UnsafeMutableRawPointer

    /// A cursor at the start of reserved room.
    @inlinable
    public init(_ start: UnsafeMutableRawPointer) { position = start }

    /// Copies `bytes` and moves past them.
    @inlinable
    public mutating func put(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        position.copyMemory(from: base, byteCount: bytes.count)
        position += bytes.count
    }

    /// Copies a static string's UTF-8 bytes and moves past them.
    @inlinable
    public mutating func put(_ text: StaticString) {
        position.copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
        position += text.utf8CodeUnitCount
    }

    /// Stores one byte and moves past it.
    @inlinable
    public mutating func put(byte: UInt8) {
        position.storeBytes(of: byte, as: UInt8.self)
        position += 1
    }
}

extension Array: HTTP1ByteSink where Element == UInt8 {
    /// Appends `bytes`.
    @inlinable
    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
    }

    /// Appends one byte.
    @inlinable
    public mutating func write(byte: UInt8) {
        append(byte)
    }
}

extension HTTP1ByteSink {
    /// Appends exactly `count` bytes written by `body`, through a temporary buffer (sinks that can hand out their
    /// own room implement this themselves).
    @inlinable
    public mutating func writeReserved(_ count: Int, _ body: (UnsafeMutableRawPointer) -> Void) {
        precondition(count >= 0, "writeReserved needs a non-negative count")
        withUnsafeTemporaryAllocation(byteCount: count, alignment: 1) { room in
            if let base = room.baseAddress { body(base) }
            write(UnsafeRawBufferPointer(room))
        }
    }

    /// Appends a static string's UTF-8 bytes.
    @inlinable
    public mutating func write(_ text: StaticString) {
        write(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends an array slice.
    @inlinable
    public mutating func write(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { write($0) }
    }

    /// Appends a non-negative integer in decimal or lower-case hex without allocating.
    @inlinable
    public mutating func write(number: Int, radix: Int) {
        HTTP1Digits.withDigits(of: number, radix: radix) { write($0) }
    }
}

/// The digits of the numbers HTTP/1 writes (lengths, statuses, chunk sizes).
@usableFromInline
enum HTTP1Digits {
    /// Calls `body` with the digits of the non-negative `number` in decimal or lower-case hex, in a temporary buffer.
    @inlinable
    static func withDigits<R>(of number: Int, radix: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        precondition(number >= 0, "HTTP/1 numbers are non-negative")
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = number
            var i = 20
            repeat {
                i -= 1
                let d = UInt8(n % radix)
                digits[i] = d < 10 ? 0x30 &+ d : 0x61 &+ d &- 10
                n /= radix
            } while n > 0
            return body(UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(digits)[i..<20]))
        }
    }
}
