/// Lowercase hexadecimal encoding and decoding shared by the identifier types.
///
/// W3C Trace Context §3.2.2 allows only lowercase hex (`[0-9a-f]`) in `traceparent`, so decoding rejects uppercase.
@usableFromInline
enum Hex {
    /// Sentinel returned by `value(of:)` for a byte that is not a lowercase hex digit.
    @usableFromInline static let invalid: UInt8 = 0xFF

    /// The value of one lowercase hex digit, or `invalid`.
    @inlinable @inline(__always)
    static func value(of byte: UInt8) -> UInt8 {
        switch byte {
        case 0x30...0x39: return byte &- 0x30
        case 0x61...0x66: return byte &- 0x57
        default: return invalid
        }
    }

    /// The value of one hex digit in either case, or `invalid` (B3 and X-B3 headers are not case-restricted).
    @inlinable @inline(__always)
    static func valueIgnoringCase(of byte: UInt8) -> UInt8 {
        switch byte {
        case 0x41...0x46: return byte &- 0x37
        default: return value(of: byte)
        }
    }

    /// The ASCII lowercase hex digit for a nibble (0...15).
    @inlinable @inline(__always)
    static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble &+ 0x30 : nibble &+ 0x57
    }

    /// Parses exactly `count` (≤ 16) lowercase hex digits starting at `offset` into a UInt64; nil on any bad digit.
    @inlinable
    static func parseUInt64(_ bytes: UnsafeRawBufferPointer, offset: Int, count: Int, ignoringCase: Bool = false) -> UInt64? {
        var result: UInt64 = 0
        var bad: UInt8 = 0
        var index = offset
        let end = offset + count
        while index < end {
            let byte = bytes[index]
            let nibble = ignoringCase ? valueIgnoringCase(of: byte) : value(of: byte)
            bad |= nibble & 0xF0
            result = (result &<< 4) | UInt64(nibble & 0x0F)
            index &+= 1
        }
        return bad == 0 ? result : nil
    }

    /// Parses 16 lowercase hex digits at `offset` eight at a time (SWAR); nil if any byte is not `[0-9a-f]`.
    ///
    /// The hot path of `traceparent` parsing: two unaligned 8-byte loads per 64-bit id instead of 16 byte switches.
    @inlinable
    static func parseLowercase16(_ bytes: UnsafeRawBufferPointer, offset: Int) -> UInt64? {
        guard let high = parseLowercase8(bytes, offset: offset),
            let low = parseLowercase8(bytes, offset: offset &+ 8)
        else { return nil }
        return UInt64(high) &<< 32 | UInt64(low)
    }

    /// Parses 8 lowercase hex digits at `offset` with one 8-byte load; nil if any byte is not `[0-9a-f]`.
    @inlinable
    static func parseLowercase8(_ bytes: UnsafeRawBufferPointer, offset: Int) -> UInt32? {
        precondition(offset >= 0 && offset &+ 8 <= bytes.count)
        let x = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        guard x & highBits == 0 else { return nil }  // ASCII only, so the per-byte adds below cannot carry
        // For each byte b < 0x80: (b + 0x80 - lo) has its high bit set iff b >= lo; (b + 0x7F - hi) iff b > hi.
        let digits = (x &+ ones &* (0x80 - 0x30)) & ~(x &+ ones &* (0x7F - 0x39)) & highBits
        let letters = (x &+ ones &* (0x80 - 0x61)) & ~(x &+ ones &* (0x7F - 0x66)) & highBits
        guard digits | letters == highBits else { return nil }
        // Nibble value: low 4 bits, plus 9 for letters (bit 6 set): 'a' = 0x61 -> 1 + 9 = 10.
        let nibbles = (x & 0x0F0F_0F0F_0F0F_0F0F) &+ ((x & 0x4040_4040_4040_4040) &>> 6) &* 9
        // Bytes are in text order from the lowest byte; fold pairs into bytes, then bytes into a big-endian word.
        let pairs = ((nibbles & 0x000F_000F_000F_000F) &<< 4) | ((nibbles &>> 8) & 0x000F_000F_000F_000F)
        let b0 = UInt32(truncatingIfNeeded: pairs) & 0xFF
        let b1 = UInt32(truncatingIfNeeded: pairs &>> 16) & 0xFF
        let b2 = UInt32(truncatingIfNeeded: pairs &>> 32) & 0xFF
        let b3 = UInt32(truncatingIfNeeded: pairs &>> 48) & 0xFF
        return b0 &<< 24 | b1 &<< 16 | b2 &<< 8 | b3
    }

    /// Writes `value` as 16 lowercase hex digits at `offset` in `buffer`: eight digits per 64-bit word, computed
    /// for all eight nibbles at once (SWAR) and stored with two word writes.
    @inlinable @inline(__always)
    static func writeUInt64(_ value: UInt64, into buffer: UnsafeMutableRawBufferPointer, offset: Int) {
        precondition(offset >= 0 && offset &+ 16 <= buffer.count, "Hex.writeUInt64 out of bounds")
        let base = buffer.baseAddress! + offset
        base.storeBytes(of: eightDigits(UInt32(truncatingIfNeeded: value &>> 32)), as: UInt64.self)
        base.storeBytes(of: eightDigits(UInt32(truncatingIfNeeded: value)), toByteOffset: 8, as: UInt64.self)
    }

    /// The eight lowercase hex digits of `value`, most significant first in memory order (little-endian word).
    @inlinable @inline(__always)
    static func eightDigits(_ value: UInt32) -> UInt64 {
        // Spread the eight nibbles into eight bytes (low nibble in the low byte)...
        var v = UInt64(value)
        v = ((v & 0xFFFF_0000) &<< 16) | (v & 0x0000_FFFF)
        v = ((v & 0x0000_FF00_0000_FF00) &<< 8) | (v & 0x0000_00FF_0000_00FF)
        v = ((v & 0x00F0_00F0_00F0_00F0) &<< 4) | (v & 0x000F_000F_000F_000F)
        // ...turn each into '0'...'9' or 'a'...'f' (+39 past '9' for nibbles of 10 and up; no carries between bytes)...
        let letters = ((v &+ 0x0606_0606_0606_0606) &>> 4) & 0x0101_0101_0101_0101
        v = v &+ 0x3030_3030_3030_3030 &+ letters &* 0x27
        // ...and put the most significant digit first in memory.
        return v.bigEndian
    }
}
