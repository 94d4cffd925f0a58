import TraceCore

/// Writes protobuf wire-format values through a raw pointer into space the caller has already made room for.
///
/// The per-span fast path of `OTLPProtobufEncoder`: the encoder grows its output array once per span by an upper
/// bound of the span's encoded size (`OTLPProtobufEncoder.sizeBound`), writes the span here without any capacity or
/// uniqueness checks, then trims the unused tail. Same wire rules as `ProtobufWriter`, including back-patched
/// nested-message lengths. Never write more than the room reserved: nothing here checks.
struct ProtobufRawWriter: ReservedRoomWriter {
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

    /// Writes `value` as a base-128 varint.
    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            byte(UInt8(truncatingIfNeeded: v) | 0x80)
            v &>>= 7
        }
        byte(UInt8(truncatingIfNeeded: v))
    }

    /// Writes a 64-bit value little-endian (wire type 1).
    @inline(__always)
    mutating func fixed64(_ value: UInt64) {
        (base + offset).storeBytes(of: value.littleEndian, as: UInt64.self)
        offset &+= 8
    }

    /// Writes a 32-bit value little-endian (wire type 5).
    @inline(__always)
    mutating func fixed32(_ value: UInt32) {
        (base + offset).storeBytes(of: value.littleEndian, as: UInt32.self)
        offset &+= 4
    }

    /// Writes a length-prefixed UTF-8 string (the field's tag must already be written).
    @inline(__always)
    mutating func string(_ s: String) {
        let utf8 = s.utf8
        varint(UInt64(utf8.count))
        if utf8.withContiguousStorageIfAvailable({ bytes(UnsafeRawBufferPointer($0)) }) == nil {
            for b in utf8 { byte(b) }
        }
    }

    /// Writes a length-prefixed string from bytes known to be well-formed UTF-8 (attribute keys, which come from
    /// `String`s).
    @inline(__always)
    mutating func string(wellFormedUTF8 utf8: UnsafeRawBufferPointer) {
        varint(UInt64(utf8.count))
        bytes(utf8)
    }

    /// Writes a length-prefixed string from UTF-8 bytes that may be ill-formed (attribute values from request
    /// bytes), repaired as `String(decoding:as:)` repairs them (`UTF8Repair`), since proto3 `string` fields must
    /// be valid UTF-8. Repair can triple the length: size bounds use `UTF8Repair.repairedBound`.
    @inline(__always)
    mutating func string(utf8: UnsafeRawBufferPointer) {
        UTF8Repair.withWellFormed(utf8) { string(wellFormedUTF8: $0) }
    }

    /// Writes the UTF-8 bytes of `s` without a length.
    @inline(__always)
    mutating func utf8(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ bytes(UnsafeRawBufferPointer($0)) }) == nil {
            for b in s.utf8 { byte(b) }
        }
    }

    /// Writes a length-prefixed 16-byte trace id, big-endian (OTLP `bytes trace_id`).
    @inline(__always)
    mutating func traceID(_ id: TraceID) {
        byte(16)
        (base + offset).storeBytes(of: id.high.bigEndian, as: UInt64.self)
        (base + offset + 8).storeBytes(of: id.low.bigEndian, as: UInt64.self)
        offset &+= 16
    }

    /// Writes a length-prefixed 8-byte span id, big-endian (OTLP `bytes span_id`).
    @inline(__always)
    mutating func spanID(_ id: SpanID) {
        byte(8)
        (base + offset).storeBytes(of: id.rawValue.bigEndian, as: UInt64.self)
        offset &+= 8
    }

    /// Reserves the length byte of a nested message whose tag was just written; returns the position for `endMessage`.
    @inline(__always)
    mutating func beginMessage() -> Int {
        offset &+= 1
        return offset
    }

    /// Writes the length of the message begun at `bodyStart`, shifting its body when the varint needs more room.
    @inline(__always)
    mutating func endMessage(_ bodyStart: Int) {
        let length = offset &- bodyStart
        if length < 0x80 {
            base.storeBytes(of: UInt8(truncatingIfNeeded: length), toByteOffset: bodyStart &- 1, as: UInt8.self)
        } else {
            patchLongLength(bodyStart, length)
        }
    }

    @inline(never)
    mutating func patchLongLength(_ bodyStart: Int, _ length: Int) {
        let extra = ProtobufWriter.varintSize(UInt64(length)) &- 1
        (base + bodyStart + extra).copyMemory(from: base + bodyStart, byteCount: length)
        offset &+= extra
        var v = UInt64(length)
        var i = bodyStart &- 1
        while v >= 0x80 {
            base.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: i, as: UInt8.self)
            v &>>= 7
            i &+= 1
        }
        base.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: i, as: UInt8.self)
    }
}
