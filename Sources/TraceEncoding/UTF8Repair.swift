/// Checks attribute bytes for well-formed UTF-8 and repairs ill-formed ones exactly as `String(decoding:as:)` does.
///
/// String values stored in a `SpanAttributeList` from request bytes (`set(_:utf8:)`) may be ill-formed UTF-8, while
/// every export format needs well-formed text (proto3 `string`, JSON, Thrift strings read as UTF-8). The encoders
/// write such bytes through `withWellFormed(_:_:)`: well-formed bytes (the normal case) are passed through as they
/// are, checked with an ASCII fast path and no allocation; ill-formed ones are decoded with `String(decoding:as:)`,
/// which replaces each maximal ill-formed subsequence by U+FFFD (Unicode §3.9, "U+FFFD Substitution of Maximal
/// Subparts"), so the output is what the `String`-based path produced. Repair at most triples the byte count (one
/// ill-formed byte becomes the 3-byte U+FFFD), which is what size bounds must allow for.
enum UTF8Repair {
    /// The most bytes `count` input bytes can take after repair (each ill-formed byte may become EF BF BD).
    @inline(__always)
    static func repairedBound(_ count: Int) -> Int {
        3 &* count
    }

    /// Calls `body` with `bytes` when they are well-formed UTF-8, else with their repaired copy.
    @inline(__always)
    static func withWellFormed<Result>(
        _ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Result
    ) -> Result {
        if isWellFormed(bytes) { return body(bytes) }
        var repaired = repair(bytes)
        return repaired.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    /// `bytes` decoded as UTF-8 with ill-formed sequences replaced by U+FFFD (allocates; the rare path).
    @inline(never)
    static func repair(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `bytes` are well-formed UTF-8 (Unicode §3.9, Table 3-7).
    ///
    /// All-ASCII text (nearly every attribute value: paths, addresses, user agents) is recognised with word loads
    /// OR-ed together, the tail read as one overlapping load, so there is no branch per byte; anything else is
    /// checked scalar by scalar from the start.
    @inline(__always)
    static func isWellFormed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var highBits: UInt64
        if count >= 8 {
            highBits = base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            var i = 0
            while i &+ 8 <= count {
                highBits |= base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i &+= 8
            }
        } else if count >= 4 {
            highBits = UInt64(base.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
                | base.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
        } else if count >= 2 {
            highBits = UInt64(base.loadUnaligned(fromByteOffset: 0, as: UInt16.self)
                | base.loadUnaligned(fromByteOffset: count &- 2, as: UInt16.self))
        } else {
            highBits = count == 1 ? UInt64(base.load(as: UInt8.self)) : 0
        }
        if highBits & 0x8080_8080_8080_8080 == 0 { return true }
        return isWellFormed(base, from: 0, count: count)
    }

    /// Whether the bytes from `start` to `count` are well-formed UTF-8, one scalar at a time (Table 3-7).
    @inline(never)
    static func isWellFormed(_ base: UnsafeRawPointer, from start: Int, count: Int) -> Bool {
        @inline(__always) func byte(_ index: Int) -> UInt8 { base.load(fromByteOffset: index, as: UInt8.self) }
        @inline(__always) func isContinuation(_ index: Int) -> Bool { byte(index) & 0xC0 == 0x80 }
        var i = start
        while i < count {
            let lead = byte(i)
            if lead < 0x80 {
                i &+= 1
                continue
            }
            // The allowed range of the second byte depends on the lead (no overlongs, surrogates or > U+10FFFF).
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            guard count &- i >= length else { return false }
            let second = byte(i &+ 1)
            guard second >= low && second <= high else { return false }
            if length >= 3 && !isContinuation(i &+ 2) { return false }
            if length == 4 && !isContinuation(i &+ 3) { return false }
            i &+= length
        }
        return true
    }
}
