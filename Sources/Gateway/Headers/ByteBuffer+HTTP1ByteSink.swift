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
