import TraceCore

/// Writes JSON tokens through a raw pointer into room the caller has already made; the per-span fast path of the
/// JSON encoders.
///
/// Same output as `JSONWriter` (RFC 8259 §7 escapes: `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, other control
/// characters as `\u00XX`; UTF-8 passed through), without a capacity or uniqueness check per byte. The caller grows
/// its array once by an upper bound (escaping expands a byte to at most 6) and trims the rest with
/// `withRoom(_:in:_:)`. Never write more than the room reserved.
struct JSONRawWriter: ReservedRoomWriter {
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

    /// Writes a comma unless this is the first member, then clears `first`.
    @inline(__always)
    mutating func comma(_ first: inout Bool) {
        if first { first = false } else { byte(UInt8(ascii: ",")) }
    }

    /// Writes a JSON string with escaping.
    @inline(__always)
    mutating func string(_ s: String) {
        byte(UInt8(ascii: "\""))
        if s.utf8.withContiguousStorageIfAvailable({ escaped(UnsafeRawBufferPointer($0)) }) == nil {
            var copy = s
            copy.withUTF8 { escaped(UnsafeRawBufferPointer($0)) }
        }
        byte(UInt8(ascii: "\""))
    }

    /// Writes a JSON string from bytes known to be well-formed UTF-8 (attribute keys, which come from `String`s),
    /// escaping as `string(_:)` does.
    @inline(__always)
    mutating func string(wellFormedUTF8 utf8: UnsafeRawBufferPointer) {
        byte(UInt8(ascii: "\""))
        escaped(utf8)
        byte(UInt8(ascii: "\""))
    }

    /// Writes a JSON string from UTF-8 bytes that may be ill-formed (attribute values from request bytes), repaired
    /// as `String(decoding:as:)` repairs them (`UTF8Repair`), so the output is always valid JSON text.
    @inline(__always)
    mutating func string(utf8: UnsafeRawBufferPointer) {
        UTF8Repair.withWellFormed(utf8) { string(wellFormedUTF8: $0) }
    }

    /// Writes the string body of `utf8` (no quotes), escaping per RFC 8259 §7 and copying unescaped runs at once.
    ///
    /// Clean text is skipped 8 bytes at a time (`wordNeedsEscape`); only words holding a byte to escape are walked
    /// byte by byte.
    mutating func escaped(_ utf8: UnsafeRawBufferPointer) {
        guard let source = utf8.baseAddress else { return }
        var runStart = 0
        var i = 0
        let count = utf8.count
        while i < count {
            while i &+ 8 <= count, !Self.wordNeedsEscape(source.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
                i &+= 8
            }
            guard i < count else { break }
            let b = utf8[i]
            if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                i &+= 1
                continue
            }
            if runStart < i { bytes(UnsafeRawBufferPointer(rebasing: utf8[runStart..<i])) }
            byte(0x5C)
            switch b {
            case UInt8(ascii: "\""): byte(0x22)
            case UInt8(ascii: "\\"): byte(0x5C)
            case 0x0A: byte(UInt8(ascii: "n"))
            case 0x0D: byte(UInt8(ascii: "r"))
            case 0x09: byte(UInt8(ascii: "t"))
            case 0x08: byte(UInt8(ascii: "b"))
            case 0x0C: byte(UInt8(ascii: "f"))
            default:
                byte(UInt8(ascii: "u"))
                byte(0x30)
                byte(0x30)
                byte(JSONWriter.hexDigit(b >> 4))
                byte(JSONWriter.hexDigit(b & 0xF))
            }
            i &+= 1
            runStart = i
        }
        if runStart < count { bytes(UnsafeRawBufferPointer(rebasing: utf8[runStart..<count])) }
    }

    /// Whether any of the 8 bytes in `word` must be escaped: a control character (< 0x20), `"` or `\`
    /// (`SWARBytes`: exact, and bytes ≥ 0x80, UTF-8 sequences, never flag).
    @inline(__always)
    static func wordNeedsEscape(_ word: UInt64) -> Bool {
        let control = SWARBytes.below(0x20, in: word)
        return (control | SWARBytes.equal(0x22, in: word) | SWARBytes.equal(0x5C, in: word)) & SWARBytes.highBits != 0
    }

    /// Writes an integer as a JSON string (at most 22 bytes).
    @inline(__always)
    mutating func quotedInteger(_ value: Int64) {
        byte(UInt8(ascii: "\""))
        integer(value)
        byte(UInt8(ascii: "\""))
    }

    /// Writes an unsigned integer as a JSON string (at most 22 bytes).
    @inline(__always)
    mutating func quotedInteger(_ value: UInt64) {
        byte(UInt8(ascii: "\""))
        integer(value)
        byte(UInt8(ascii: "\""))
    }

    /// Writes a double as `JSONWriter.double` does: integral values below 1e15 as integers, others in Swift's
    /// shortest form, NaN and infinities as the strings proto3 JSON uses (at most 32 bytes).
    @inline(__always)
    mutating func double(_ value: Double) {
        if value.isNaN {
            raw("\"NaN\"")
        } else if value.isInfinite {
            if value < 0 { raw("\"-Infinity\"") } else { raw("\"Infinity\"") }
        } else if value == value.rounded(), abs(value) < 1e15 {
            integer(Int64(value))
        } else {
            shortestDouble(value)
        }
    }

    /// Writes `true` or `false`.
    @inline(__always)
    mutating func bool(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    /// Writes `"<32 lowercase hex digits>"`.
    @inline(__always)
    mutating func hex(_ id: TraceID) {
        byte(UInt8(ascii: "\""))
        id.writeHex(into: UnsafeMutableRawBufferPointer(start: base + offset, count: 32))
        offset &+= 32
        byte(UInt8(ascii: "\""))
    }

    /// Writes `"<16 lowercase hex digits>"`.
    @inline(__always)
    mutating func hex(_ id: SpanID) {
        byte(UInt8(ascii: "\""))
        id.writeHex(into: UnsafeMutableRawBufferPointer(start: base + offset, count: 16))
        offset &+= 16
        byte(UInt8(ascii: "\""))
    }
}
