/// Appends JSON tokens to a byte array; the caller decides the structure.
///
/// Small and allocation-free beyond the output array's growth: strings are escaped per RFC 8259 §7, numbers are
/// written without Foundation. It does not track commas for the caller; `comma(_:)` helps build members.
public struct JSONWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]

    /// Creates a writer with `capacity` bytes reserved.
    public init(capacity: Int = 4096) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends raw ASCII (punctuation, keys known to need no escaping).
    @inlinable
    public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends one raw byte.
    @inlinable
    public mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// Appends `"key":` for a key that needs no escaping.
    @inlinable
    public mutating func key(_ k: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        raw(k)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Appends a JSON string with escaping.
    public mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { string(wellFormedUTF8: UnsafeRawBufferPointer($0)) }
    }

    /// Appends a JSON string from UTF-8 bytes, such as an attribute value read in place; ill-formed UTF-8 is
    /// repaired as `String(decoding:as:)` repairs it (each maximal ill-formed subsequence becomes U+FFFD), so the
    /// output is the same as `string(String(decoding: utf8, as: UTF8.self))` without building the `String`.
    public mutating func string(utf8: UnsafeRawBufferPointer) {
        UTF8Repair.withWellFormed(utf8) { string(wellFormedUTF8: $0) }
    }

    /// Appends a JSON string from bytes known to be well-formed UTF-8, escaping per RFC 8259 §7.
    mutating func string(wellFormedUTF8 utf8: UnsafeRawBufferPointer) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for i in 0..<utf8.count {
            let b = utf8[i]
            if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") { continue }
            if runStart < i { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart..<i])) }
            runStart = i + 1
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            default:
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30])
                bytes.append(Self.hexDigit(b >> 4))
                bytes.append(Self.hexDigit(b & 0xF))
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart...])) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends an unsigned integer as decimal digits (the raw writers' decimal writer, through reserved room).
    public mutating func integer(_ value: UInt64) {
        JSONRawWriter.withRoom(20, in: &bytes) { $0.integer(value) }
    }

    /// Appends a signed integer as decimal digits.
    public mutating func integer(_ value: Int64) {
        JSONRawWriter.withRoom(20, in: &bytes) { $0.integer(value) }
    }

    /// Appends an integer as a JSON string, as proto3 JSON writes 64-bit integers.
    public mutating func quotedInteger(_ value: UInt64) {
        bytes.append(UInt8(ascii: "\""))
        integer(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends a signed integer as a JSON string.
    public mutating func quotedInteger(_ value: Int64) {
        bytes.append(UInt8(ascii: "\""))
        integer(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends a double; NaN and infinities become the strings proto3 JSON uses ("NaN", "Infinity", "-Infinity").
    public mutating func double(_ value: Double) {
        if value.isNaN {
            raw("\"NaN\"")
        } else if value.isInfinite {
            if value < 0 { raw("\"-Infinity\"") } else { raw("\"Infinity\"") }
        } else if value == value.rounded(), abs(value) < 1e15 {
            integer(Int64(value))
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    /// Appends `true` or `false`.
    public mutating func bool(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    /// Appends a comma unless this is the first member, then clears `first`.
    @inlinable
    public mutating func comma(_ first: inout Bool) {
        if first { first = false } else { bytes.append(UInt8(ascii: ",")) }
    }

    @inline(__always)
    static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? UInt8(ascii: "0") &+ v : UInt8(ascii: "a") &+ (v &- 10)
    }
}
