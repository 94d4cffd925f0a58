/// Growable byte storage the serializer appends to, so the proxy can pass its own buffer type.
///
/// `[UInt8]` conforms; reserve capacity once and reuse it, and serializing allocates nothing.
public protocol HTTP1ByteSink {
    /// Appends `bytes`.
    mutating func write(_ bytes: UnsafeRawBufferPointer)
    /// Appends one byte.
    mutating func write(byte: UInt8)
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
        precondition(number >= 0, "HTTP/1 numbers are non-negative")
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = number
            var i = 20
            repeat {
                i -= 1
                let d = UInt8(n % radix)
                digits[i] = d < 10 ? 0x30 &+ d : 0x61 &+ d &- 10
                n /= radix
            } while n > 0
            write(UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(digits)[i..<20]))
        }
    }
}
