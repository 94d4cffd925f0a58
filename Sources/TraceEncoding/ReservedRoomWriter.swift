/// A writer that stores bytes through a raw pointer into room its caller reserved beforehand, without capacity
/// checks (`JSONRawWriter`, `ThriftBinaryWriter`, `ProtobufRawWriter`, `ConsoleLineWriter`).
///
/// The primitives every format shares (raw bytes, literals, decimal digits) live in this protocol's extension; each
/// writer adds its format's tokens. Never write more than the room reserved.
protocol ReservedRoomWriter {
    /// Creates a writer at `base` with nothing written.
    init(base: UnsafeMutableRawPointer)
    /// The first byte of the reserved room.
    var base: UnsafeMutableRawPointer { get }
    /// Bytes written so far.
    var offset: Int { get set }
}

extension ReservedRoomWriter {
    /// Grows `bytes` by `bound`, lets `body` write at most that many, then trims the unused tail.
    @inline(__always)
    static func withRoom(_ bound: Int, in bytes: inout [UInt8], _ body: (inout Self) -> Void) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: bound))
        let written = bytes.withUnsafeMutableBytes { buffer -> Int in
            var w = Self(base: buffer.baseAddress! + start)
            body(&w)
            return w.offset
        }
        precondition(written <= bound, "size bound too small for \(Self.self)")
        bytes.removeLast(bound &- written)
    }

    /// Writes one raw byte.
    @inline(__always)
    mutating func byte(_ b: UInt8) {
        base.storeBytes(of: b, toByteOffset: offset, as: UInt8.self)
        offset &+= 1
    }

    /// Writes raw bytes.
    @inline(__always)
    mutating func bytes(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        (base + offset).copyMemory(from: source, byteCount: bytes.count)
        offset &+= bytes.count
    }

    /// Writes the bytes of a literal (punctuation, keys known to need no escaping).
    @inline(__always)
    mutating func raw(_ s: StaticString) {
        bytes(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Writes an unsigned integer as decimal digits, zero-padded to `minimumDigits` (at most
    /// `max(20, minimumDigits)` bytes).
    ///
    /// Two digits per division, from a table of the pairs `00`…`99`, written from the last digit back.
    @inline(__always)
    mutating func integer(_ value: UInt64, minimumDigits: Int = 1) {
        let digits = Swift.max(DecimalDigits.count(value), minimumDigits)
        var n = value
        var i = offset &+ digits
        while n >= 100 {
            let pair = Int(truncatingIfNeeded: n % 100)
            n /= 100
            i &-= 2
            base.storeBytes(of: DecimalDigits.pair(pair), toByteOffset: i, as: UInt16.self)
        }
        if n >= 10 {
            i &-= 2
            base.storeBytes(of: DecimalDigits.pair(Int(truncatingIfNeeded: n)), toByteOffset: i, as: UInt16.self)
        } else {
            i &-= 1
            base.storeBytes(of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: n), toByteOffset: i, as: UInt8.self)
        }
        while i > offset {
            i &-= 1
            base.storeBytes(of: UInt8(ascii: "0"), toByteOffset: i, as: UInt8.self)
        }
        offset &+= digits
    }

    /// Writes a signed integer as decimal digits (at most 20 bytes).
    @inline(__always)
    mutating func integer(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        integer(value.magnitude)
    }

    /// Writes a finite double exactly as `d.description` spells it (its shortest round-trip digits: `0.25`,
    /// `5.1234e-05`, `3.0`), at most 32 bytes.
    ///
    /// A whole number of nanoseconds below 10⁶ — a duration in seconds, what the gateway records — is written from
    /// its integer digits without building a `String`: `n / 1e9` for such an `n` (at most 15 digits) reads back as
    /// the same double, and no shorter decimal does (it would differ by at least 10⁻¹⁵ relative, more than the
    /// double's precision), so `n`'s digits are the shortest form. Every other value goes through `description`.
    @inline(__always)
    mutating func shortestDouble(_ d: Double) {
        let magnitude = d.magnitude
        if magnitude >= 1e-9, magnitude < 1e6 {
            let nanoseconds = (magnitude * 1e9).rounded()
            if nanoseconds / 1e9 == magnitude {
                if d < 0 { byte(UInt8(ascii: "-")) }
                nanosecondsAsSeconds(UInt64(nanoseconds))
                return
            }
        }
        shortestDoubleThroughDescription(d)
    }

    /// `shortestDouble` for any other value.
    @inline(never)
    mutating func shortestDoubleThroughDescription(_ d: Double) {
        var text = d.description
        text.withUTF8 { bytes(UnsafeRawBufferPointer($0)) }
    }

    /// Writes `n` × 10⁻⁹ (0 < n < 10¹⁵) in `Double.description`'s notation: exponential (`1.5e-05`) below 10⁻⁴,
    /// else decimal (`0.0001`, `12.5`, `3.0`).
    private mutating func nanosecondsAsSeconds(_ n: UInt64) {
        var digits = n
        var trailingZeros = 0
        while digits % 10 == 0 {
            digits /= 10
            trailingZeros &+= 1
        }
        let count = DecimalDigits.count(digits)
        // The value is 0.d₁d₂…dₖ × 10^exponent.
        let exponent = count &+ trailingZeros &- 9
        if exponent < -3 {
            // d₁[.d₂…dₖ]e-0X: here -9 ≤ exponent - 1 ≤ -5, one exponent digit.
            if count > 1 { pointed(digits, fractionDigits: count &- 1) } else { integer(digits) }
            raw("e-0")
            byte(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: 1 &- exponent))
        } else if exponent < count {
            // 0.000d₁…dₖ, or d₁…dₑ.dₑ₊₁…dₖ.
            pointed(digits, fractionDigits: count &- exponent)
        } else {
            integer(digits)
            for _ in 0..<(exponent &- count) { byte(UInt8(ascii: "0")) }
            raw(".0")
        }
    }

    /// Writes `digits` with a decimal point before its last `fractionDigits` digits (1…18), the fraction padded
    /// with leading zeros: `pointed(125, fractionDigits: 1)` is `12.5`, `pointed(123, fractionDigits: 6)` `0.000123`.
    private mutating func pointed(_ digits: UInt64, fractionDigits: Int) {
        var scale: UInt64 = 1
        for _ in 0..<fractionDigits { scale &*= 10 }
        integer(digits / scale)
        byte(UInt8(ascii: "."))
        integer(digits % scale, minimumDigits: fractionDigits)
    }
}

/// Decimal digit helpers of `ReservedRoomWriter.integer`.
enum DecimalDigits {
    /// The 100 two-digit pairs `00`, `01`, … `99`, back to back (a literal: no lazy global initialisation to check).
    private static let pairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// The two ASCII digits of `value` (0…99), first digit in the low byte (memory order).
    @inline(__always)
    static func pair(_ value: Int) -> UInt16 {
        UnsafeRawPointer(pairs.utf8Start).loadUnaligned(fromByteOffset: value &* 2, as: UInt16.self)
    }

    /// How many decimal digits `value` has (1 for 0).
    @inline(__always)
    static func count(_ value: UInt64) -> Int {
        var digits = 1
        var rest = value
        while rest >= 10_000 {
            rest /= 10_000
            digits &+= 4
        }
        if rest >= 100 {
            rest /= 100
            digits &+= 2
        }
        if rest >= 10 { digits &+= 1 }
        return digits
    }
}
