// Byte classes from RFC 9110 §5.6.2 (token), §5.5 (field values) and RFC 9112 §2.2 (line endings).

/// Byte constants and character classes used by the HTTP/1 grammar.
///
/// Lookups are branch-light bit tests so the hot parsing loops stay free of tables that need lazy initialisation.
enum ASCII {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let slash: UInt8 = 0x2F

    /// tchar bits for bytes 0-63 (RFC 9110 §5.6.2).
    private static let tokenMaskLow: UInt64 = 0x03ff_6cfa_0000_0000
    /// tchar bits for bytes 64-127 (RFC 9110 §5.6.2).
    private static let tokenMaskHigh: UInt64 = 0x57ff_ffff_c7ff_fffe

    /// Whether `byte` is a tchar (RFC 9110 §5.6.2).
    @inline(__always)
    static func isTokenChar(_ byte: UInt8) -> Bool {
        if byte < 64 { return (tokenMaskLow >> UInt64(byte)) & 1 == 1 }
        if byte < 128 { return (tokenMaskHigh >> UInt64(byte &- 64)) & 1 == 1 }
        return false
    }

    /// Whether `byte` may appear in a field value: HTAB, SP, VCHAR or obs-text (RFC 9110 §5.5).
    ///
    /// CR, LF, NUL, DEL and the other controls are rejected; obs-text (0x80-0xFF) passes through unchanged.
    @inline(__always)
    static func isFieldValueChar(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= space && byte != 0x7F)
    }

    /// Whether `byte` is optional whitespace (SP or HTAB, RFC 9110 §5.6.3).
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// Whether `byte` is a decimal digit.
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10
    }

    /// The value of a hexadecimal digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: return Int(byte &- 0x30)
        case 0x41...0x46: return Int(byte &- 0x41 &+ 10)
        case 0x61...0x66: return Int(byte &- 0x61 &+ 10)
        default: return nil
        }
    }

    /// ASCII lower-casing of one byte; other bytes are returned unchanged.
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    /// Whether the bytes at `base[start..<start+length]` equal the lower-case ASCII `name`, ignoring case.
    @inline(__always)
    static func equalsIgnoringCase(_ base: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int, _ name: StaticString) -> Bool {
        guard length == name.utf8CodeUnitCount else { return false }
        let expected = name.utf8Start
        for i in 0..<length where lower(base[start &+ i]) != expected[i] {
            return false
        }
        return true
    }

    /// Whether every byte of `p[start..<end]` may appear in a field value (see `isFieldValueChar`).
    ///
    /// Checks eight bytes per step (SWAR: a word has a byte below 0x20 or equal to 0x7F only if the bit tricks
    /// flag it), falling back to the byte test only for flagged words, which in practice means words with a tab.
    @inline(__always)
    static func isValidFieldValue(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard let base = p.baseAddress else { return true }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var i = start
        while i &+ 8 <= end {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let below20 = (word &- ones &* 0x20) & ~word & highs
            let delta = word ^ (ones &* 0x7F)
            let isDelete = (delta &- ones) & ~delta & highs
            if below20 | isDelete != 0 {
                for j in i..<(i &+ 8) where !isFieldValueChar(base[j]) { return false }
            }
            i &+= 8
        }
        while i < end {
            if !isFieldValueChar(base[i]) { return false }
            i &+= 1
        }
        return true
    }
}
