/// Reads protobuf wire-format fields from a byte buffer, for the few small messages tracegw decodes.
///
/// Protocol Buffers encoding guide ("Encoding"): each field is a varint tag `(number << 3) | wire_type` followed by
/// a varint (0), 8 bytes (1), a varint length and that many bytes (2), or 4 bytes (5). Groups (3, 4) are deprecated
/// and rejected. Every read is bounds-checked; the buffer is only borrowed.
struct ProtobufReader {
    /// The bytes being read.
    let buffer: UnsafeRawBufferPointer
    /// The next byte to read.
    private(set) var offset: Int

    /// Creates a reader over `buffer` starting at its first byte.
    init(_ buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
        self.offset = 0
    }

    /// Whether every byte has been read.
    var isAtEnd: Bool { offset >= buffer.count }

    /// Reads a varint of at most 10 bytes.
    mutating func varint() throws(ProtobufDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < buffer.count else { throw .truncated }
            let byte = buffer[offset]
            offset += 1
            if shift == 63 && byte > 1 { throw .malformedVarint }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw .malformedVarint }
        }
    }

    /// Reads a field tag; returns the field number and wire type.
    mutating func tag() throws(ProtobufDecodingError) -> (field: UInt64, wireType: UInt8) {
        let raw = try varint()
        let field = raw >> 3
        guard field != 0 else { throw .invalidTag }
        return (field, UInt8(truncatingIfNeeded: raw & 7))
    }

    /// Reads a length-delimited field's bytes as a view into the buffer.
    mutating func lengthDelimited() throws(ProtobufDecodingError) -> UnsafeRawBufferPointer {
        let length = try varint()
        guard length <= UInt64(buffer.count - offset) else { throw .truncated }
        let slice = UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + Int(length))])
        offset += Int(length)
        return slice
    }

    /// Skips one field value of `wireType`.
    mutating func skip(wireType: UInt8) throws(ProtobufDecodingError) {
        switch wireType {
        case 0: _ = try varint()
        case 1: try advance(8)
        case 2: _ = try lengthDelimited()
        case 5: try advance(4)
        default: throw .unsupportedWireType(wireType)
        }
    }

    private mutating func advance(_ count: Int) throws(ProtobufDecodingError) {
        guard buffer.count - offset >= count else { throw .truncated }
        offset += count
    }
}

/// Why a protobuf message could not be decoded.
public enum ProtobufDecodingError: Error, Equatable, Sendable {
    /// The message ended inside a field.
    case truncated
    /// A varint was longer than 10 bytes or overflowed 64 bits.
    case malformedVarint
    /// A tag had field number 0.
    case invalidTag
    /// A field used a wire type this reader does not handle (groups 3/4, or 6/7 which do not exist).
    case unsupportedWireType(UInt8)
    /// A known field had the wrong wire type for its declaration.
    case wrongWireType(field: UInt64, wireType: UInt8)
}
