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

    /// Writes `value` as 16 lowercase hex digits at `offset` in `buffer`.
    @inlinable
    static func writeUInt64(_ value: UInt64, into buffer: UnsafeMutableRawBufferPointer, offset: Int) {
        var shift: UInt64 = 60
        var index = offset
        while index < offset + 16 {
            buffer[index] = digit(UInt8(truncatingIfNeeded: (value &>> shift) & 0x0F))
            shift &-= 4
            index &+= 1
        }
    }
}
