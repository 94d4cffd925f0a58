import TraceCore

/// Appends protobuf wire-format values to a byte array; the caller decides the message structure.
///
/// Protocol Buffers encoding guide ("Encoding"): varints (LEB128, 7 bits per byte), fixed 32/64-bit little-endian
/// values and length-delimited fields. Nested messages get their length back-patched: `beginMessage` reserves one
/// length byte and `endMessage` writes the varint, moving the body right only when the length needs more than one
/// byte, so no message is ever built in a temporary buffer.
struct ProtobufWriter: Sendable {
    /// The bytes written so far.
    var bytes: [UInt8]

    /// Creates a writer over an empty array.
    init() {
        bytes = []
    }

    /// Appends one raw byte (a precomputed single-byte tag, for example).
    @inline(__always)
    mutating func byte(_ b: UInt8) {
        bytes.append(b)
    }

    /// Appends `value` as a base-128 varint.
    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v &>>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    /// The number of bytes `value` takes as a varint (1...10).
    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        // 64 - leadingZeroBitCount significant bits, 7 per byte, at least one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// Appends a 64-bit value little-endian (wire type 1).
    @inline(__always)
    mutating func fixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a 32-bit value little-endian (wire type 5).
    @inline(__always)
    mutating func fixed32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a length-prefixed UTF-8 string (the field's tag must already be written).
    @inline(__always)
    mutating func string(_ s: String) {
        let utf8 = s.utf8
        varint(UInt64(utf8.count))
        if utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: utf8)
        }
    }

    /// Appends a length-prefixed 16-byte trace id, big-endian as the W3C byte order (OTLP `bytes trace_id`).
    @inline(__always)
    mutating func traceID(_ id: TraceID) {
        bytes.append(16)
        withUnsafeBytes(of: id.high.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: id.low.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a length-prefixed 8-byte span id, big-endian (OTLP `bytes span_id`).
    @inline(__always)
    mutating func spanID(_ id: SpanID) {
        bytes.append(8)
        withUnsafeBytes(of: id.rawValue.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Reserves the length byte of a nested message whose tag was just written; returns the position for `endMessage`.
    @inline(__always)
    mutating func beginMessage() -> Int {
        bytes.append(0)
        return bytes.count
    }

    /// Writes the length of the message begun at `bodyStart`, shifting its body when the varint needs more room.
    @inline(__always)
    mutating func endMessage(_ bodyStart: Int) {
        let length = bytes.count &- bodyStart
        if length < 0x80 {
            bytes[bodyStart &- 1] = UInt8(truncatingIfNeeded: length)
        } else {
            patchLongLength(bodyStart, length)
        }
    }

    @inline(never)
    mutating func patchLongLength(_ bodyStart: Int, _ length: Int) {
        let size = Self.varintSize(UInt64(length))
        let extra = size &- 1
        bytes.append(contentsOf: repeatElement(0, count: extra))
        bytes.withUnsafeMutableBytes { buffer in
            let base = buffer.baseAddress!
            (base + bodyStart + extra).copyMemory(from: base + bodyStart, byteCount: length)
            var v = UInt64(length)
            var i = bodyStart &- 1
            while v >= 0x80 {
                buffer[i] = UInt8(truncatingIfNeeded: v) | 0x80
                v &>>= 7
                i &+= 1
            }
            buffer[i] = UInt8(truncatingIfNeeded: v)
        }
    }
}
