/// Appends Thrift binary-protocol values to a byte array; the caller decides the struct layout.
///
/// Apache Thrift binary protocol (`doc/specs/thrift-binary-protocol.md`): integers big-endian, a field is its type
/// byte and i16 id then the value, a struct ends with a STOP byte (0), strings and binary are an i32 length then the
/// bytes, lists are the element type byte and an i32 count then the elements. Counts not known up front are
/// back-patched in place (the count is fixed-width, so nothing moves).
struct ThriftBinaryWriter: Sendable {
    /// The bytes written so far.
    var bytes: [UInt8]

    /// Creates a writer over an empty array.
    init() {
        bytes = []
    }

    /// Thrift type ids used on the wire.
    enum FieldType {
        static let bool: UInt8 = 2
        static let double: UInt8 = 4
        static let i32: UInt8 = 8
        static let i64: UInt8 = 10
        static let string: UInt8 = 11
        static let `struct`: UInt8 = 12
        static let list: UInt8 = 15
    }

    /// Appends a field header: type byte and big-endian i16 id.
    @inline(__always)
    mutating func field(_ type: UInt8, _ id: UInt8) {
        bytes.append(type)
        bytes.append(0)
        bytes.append(id)
    }

    /// Appends the STOP byte that ends a struct.
    @inline(__always)
    mutating func stop() {
        bytes.append(0)
    }

    /// Appends a big-endian i32.
    @inline(__always)
    mutating func i32(_ value: Int32) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a big-endian i64.
    @inline(__always)
    mutating func i64(_ value: Int64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a double as its IEEE 754 bits, big-endian.
    @inline(__always)
    mutating func double(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a bool as one byte (1 or 0).
    @inline(__always)
    mutating func bool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    /// Appends a string: i32 length, then its UTF-8 bytes.
    @inline(__always)
    mutating func string(_ s: String) {
        let utf8 = s.utf8
        i32(Int32(truncatingIfNeeded: utf8.count))
        if utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: utf8)
        }
    }

    /// Appends a list header with a known element count.
    @inline(__always)
    mutating func listHeader(_ elementType: UInt8, count: Int) {
        bytes.append(elementType)
        i32(Int32(truncatingIfNeeded: count))
    }

    /// Appends a list header with a placeholder count; returns its position for `patchCount`.
    @inline(__always)
    mutating func beginList(_ elementType: UInt8) -> Int {
        bytes.append(elementType)
        let position = bytes.count
        i32(0)
        return position
    }

    /// Writes `count` into the placeholder at `position` (from `beginList`).
    @inline(__always)
    mutating func patchCount(_ position: Int, _ count: Int) {
        let value = UInt32(truncatingIfNeeded: count)
        bytes[position] = UInt8(truncatingIfNeeded: value >> 24)
        bytes[position + 1] = UInt8(truncatingIfNeeded: value >> 16)
        bytes[position + 2] = UInt8(truncatingIfNeeded: value >> 8)
        bytes[position + 3] = UInt8(truncatingIfNeeded: value)
    }

    /// Appends a placeholder i32 length for a string written in pieces; returns its position for `patchLength`.
    @inline(__always)
    mutating func beginString() -> Int {
        let position = bytes.count
        i32(0)
        return position
    }

    /// Writes the length of the string begun at `position` (the bytes appended since).
    @inline(__always)
    mutating func endString(_ position: Int) {
        patchCount(position, bytes.count - position - 4)
    }
}
