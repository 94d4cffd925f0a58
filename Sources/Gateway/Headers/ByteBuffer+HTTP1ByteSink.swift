import HTTP1
import IOCore

/// Lets the HTTP/1 serializer write straight into the buffers the connections send, with no intermediate copy.
extension ByteBuffer: HTTP1ByteSink {
    /// Appends `bytes`.
    @inlinable
    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        writeBytes(bytes)
    }

    /// Appends one byte.
    @inlinable
    public mutating func write(byte: UInt8) {
        writeInteger(byte)
    }
}

extension ByteBuffer {
    /// Appends a static string.
    @inlinable
    mutating func write(_ text: StaticString) {
        writeBytes(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends an array slice.
    @inlinable
    mutating func write(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { writeBytes($0) }
    }

    /// Appends a non-negative decimal number without allocating.
    mutating func write(decimal: Int) {
        var n = decimal
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { d in
            var i = 20
            repeat {
                i -= 1
                d[i] = 0x30 &+ UInt8(n % 10)
                n /= 10
            } while n > 0
            writeBytes(UnsafeRawBufferPointer(rebasing: d[i..<20]))
        }
    }
}
