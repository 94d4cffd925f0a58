/// Byte tests on eight bytes at once, for the encoders' escape and quote scans ("Bit Twiddling Hacks": determine if a
/// word has a byte less than n, or equal to n).
///
/// Each test returns `word` with the high bit set in the bytes it flags; OR several together and check against
/// `highBits`. Bytes ≥ 0x80 (UTF-8 sequences) never flag, and a borrow only starts at a flagged byte, so whether any
/// byte flags is exact (which byte it is may not be).
enum SWARBytes {
    /// The high bit of every byte.
    static let highBits: UInt64 = 0x8080_8080_8080_8080
    private static let ones: UInt64 = 0x0101_0101_0101_0101

    /// Flags the bytes of `word` below `threshold` (at most 0x80).
    @inline(__always)
    static func below(_ threshold: UInt64, in word: UInt64) -> UInt64 {
        (word &- ones &* threshold) & ~word
    }

    /// Flags the bytes of `word` equal to `character` (below 0x80).
    @inline(__always)
    static func equal(_ character: UInt64, in word: UInt64) -> UInt64 {
        let x = word ^ (ones &* character)
        return (x &- ones) & ~x
    }
}
