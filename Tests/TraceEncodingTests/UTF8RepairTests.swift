import XCTest

@testable import TraceEncoding

/// The well-formedness check and repair must agree with `String(decoding:as:)`, which the `String`-based path used.
final class UTF8RepairTests: XCTestCase {
    /// Whether `String(decoding:as:)` leaves `bytes` unchanged, i.e. finds them well-formed.
    static func stringDecodingKeeps(_ bytes: [UInt8]) -> Bool {
        Array(String(decoding: bytes, as: UTF8.self).utf8) == bytes
    }

    static let edgeSequences: [[UInt8]] = [
        [], Array("plain ascii".utf8), Array("héllo – 世界 🚀".utf8),
        [0xC0, 0xAF], [0xC1, 0xBF], [0xC2, 0x80], [0xDF, 0xBF],  // overlong 2-byte, smallest and largest 2-byte
        [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xE0, 0xA0, 0x80],  // overlong 3-byte, smallest 3-byte
        [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],  // U+D7FF, surrogates
        [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],
        [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80],  // overlong 4-byte, U+10000
        [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],  // U+10FFFF, above it
        [0x80], [0xBF], [0xFE], [0xFF],  // lone continuation, never-valid bytes
        [0xE2, 0x82], [0xF0, 0x9F, 0x9A], [0xC3],  // truncated sequences
        [0xE2, 0x28, 0xA1], [0xF0, 0x9F, 0x28, 0x80],  // bad continuation
    ]

    func test_isWellFormed_edgeSequencesAtEveryOffset_agreesWithStringDecoding() {
        for sequence in Self.edgeSequences {
            // Offsets 0...17 put the sequence before, inside and after the 8-byte ASCII fast path.
            for offset in 0...17 {
                let bytes = [UInt8](repeating: UInt8(ascii: "x"), count: offset) + sequence + Array("tail".utf8)
                let ours = bytes.withUnsafeBytes { UTF8Repair.isWellFormed($0) }
                XCTAssertEqual(ours, Self.stringDecodingKeeps(bytes), "\(bytes)")
            }
        }
    }

    func test_isWellFormed_everyOneAndTwoByteSequence_agreesWithStringDecoding() {
        for first in 0...255 {
            let one = [UInt8(first)]
            XCTAssertEqual(one.withUnsafeBytes { UTF8Repair.isWellFormed($0) }, Self.stringDecodingKeeps(one), "\(one)")
            for second in 0...255 {
                let two = [UInt8(first), UInt8(second)]
                XCTAssertEqual(two.withUnsafeBytes { UTF8Repair.isWellFormed($0) }, Self.stringDecodingKeeps(two), "\(two)")
            }
        }
    }

    func test_isWellFormed_oneNonASCIIByteAtEachPositionOfShortText_isRejected() {
        // Lengths 1...20 cover the 1-, 2-, 4- and 8-byte load paths and their overlapping tails.
        for count in 1...20 {
            for position in 0..<count {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: count)
                bytes[position] = 0x80
                XCTAssertFalse(bytes.withUnsafeBytes { UTF8Repair.isWellFormed($0) }, "\(bytes)")
            }
            let ascii = [UInt8](repeating: 0x7F, count: count)
            XCTAssertTrue(ascii.withUnsafeBytes { UTF8Repair.isWellFormed($0) })
        }
    }

    func test_isWellFormed_randomBytes_agreesWithStringDecoding() {
        // Bytes drawn mostly from lead and continuation ranges, so many sequences are nearly well-formed.
        let alphabet: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEF,
                                 0xF0, 0xF3, 0xF4, 0xF5, 0xFF]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var wellFormed = 0
        for _ in 0..<20_000 {
            let count = Int(next() % 12)
            let bytes = (0..<count).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            let expected = Self.stringDecodingKeeps(bytes)
            if expected { wellFormed += 1 }
            XCTAssertEqual(bytes.withUnsafeBytes { UTF8Repair.isWellFormed($0) }, expected, "\(bytes)")
        }
        XCTAssertGreaterThan(wellFormed, 100)  // the draw reaches both outcomes
    }

    func test_withWellFormed_illFormedBytes_yieldsStringDecodingRepair() {
        for sequence in Self.edgeSequences {
            let bytes = Array("ab".utf8) + sequence
            let repaired = bytes.withUnsafeBytes { UTF8Repair.withWellFormed($0) { Array($0) } }
            XCTAssertEqual(repaired, Array(String(decoding: bytes, as: UTF8.self).utf8), "\(bytes)")
            XCTAssertLessThanOrEqual(repaired.count, UTF8Repair.repairedBound(bytes.count))
        }
    }

    func test_withWellFormed_wellFormedBytes_passesTheSameBuffer() {
        let bytes = Array("héllo, well-formed text".utf8)
        bytes.withUnsafeBytes { buffer in
            UTF8Repair.withWellFormed(buffer) { passed in
                XCTAssertEqual(passed.baseAddress, buffer.baseAddress)
                XCTAssertEqual(passed.count, buffer.count)
            }
        }
    }
}
