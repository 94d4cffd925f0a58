/// Writes Thrift binary-protocol values through a raw pointer into room the caller has already made.
///
/// Apache Thrift binary protocol (`doc/specs/thrift-binary-protocol.md`): integers big-endian, a field is its type
/// byte and i16 id then the value, a struct ends with a STOP byte (0), strings and binary are an i32 length then the
/// bytes, lists are the element type byte and an i32 count then the elements. Counts not known up front are
/// back-patched in place (the count is fixed-width, so nothing moves). The encoder grows its output once per span by
/// an upper bound of the span's size and writes here without capacity or uniqueness checks (see
/// `withRoom(_:in:_:)`); never write more than the room reserved.
struct ThriftBinaryWriter: ReservedRoomWriter {
    /// The first byte of the reserved room.
    let base: UnsafeMutableRawPointer
    /// Bytes written so far.
    var offset: Int

    /// Creates a writer at `base` with nothing written.
    @inline(__always)
    init(base: UnsafeMutableRawPointer) {
        self.base = base
        self.offset = 0
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

    /// Writes a field header: type byte and big-endian i16 id.
    @inline(__always)
    mutating func field(_ type: UInt8, _ id: UInt8) {
        byte(type)
        byte(0)
        byte(id)
    }

    /// Writes the STOP byte that ends a struct.
    @inline(__always)
    mutating func stop() {
        byte(0)
    }

    /// Writes a big-endian i32.
    @inline(__always)
    mutating func i32(_ value: Int32) {
        (base + offset).storeBytes(of: value.bigEndian, as: Int32.self)
        offset &+= 4
    }

    /// Writes a big-endian i64.
    @inline(__always)
    mutating func i64(_ value: Int64) {
        (base + offset).storeBytes(of: value.bigEndian, as: Int64.self)
        offset &+= 8
    }

    /// Writes a double as its IEEE 754 bits, big-endian.
    @inline(__always)
    mutating func double(_ value: Double) {
        (base + offset).storeBytes(of: value.bitPattern.bigEndian, as: UInt64.self)
        offset &+= 8
    }

    /// Writes a bool as one byte (1 or 0).
    @inline(__always)
    mutating func bool(_ value: Bool) {
        byte(value ? 1 : 0)
    }

    /// Writes a string: i32 length, then its UTF-8 bytes.
    @inline(__always)
    mutating func string(_ s: String) {
        let utf8 = s.utf8
        i32(Int32(truncatingIfNeeded: utf8.count))
        if utf8.withContiguousStorageIfAvailable({ bytes(UnsafeRawBufferPointer($0)) }) == nil {
            for b in utf8 { byte(b) }
        }
    }

    /// Writes a string from bytes known to be well-formed UTF-8 (attribute keys, literals): i32 length, then the
    /// bytes.
    @inline(__always)
    mutating func string(wellFormedUTF8 utf8: UnsafeRawBufferPointer) {
        i32(Int32(truncatingIfNeeded: utf8.count))
        bytes(utf8)
    }

    /// Writes a string from UTF-8 bytes that may be ill-formed (attribute values from request bytes), repaired as
    /// `String(decoding:as:)` repairs them (`UTF8Repair`), since Jaeger reads Thrift strings as UTF-8. Repair can
    /// triple the length: size bounds use `UTF8Repair.repairedBound`.
    @inline(__always)
    mutating func string(utf8: UnsafeRawBufferPointer) {
        UTF8Repair.withWellFormed(utf8) { string(wellFormedUTF8: $0) }
    }

    /// Writes a list header with a known element count.
    @inline(__always)
    mutating func listHeader(_ elementType: UInt8, count: Int) {
        byte(elementType)
        i32(Int32(truncatingIfNeeded: count))
    }

    /// Writes a list header with a placeholder count; returns its position for `patchCount`.
    @inline(__always)
    mutating func beginList(_ elementType: UInt8) -> Int {
        byte(elementType)
        let position = offset
        i32(0)
        return position
    }

    /// Writes `count` into the placeholder at `position` (from `beginList`).
    @inline(__always)
    mutating func patchCount(_ position: Int, _ count: Int) {
        (base + position).storeBytes(of: Int32(truncatingIfNeeded: count).bigEndian, as: Int32.self)
    }
}
