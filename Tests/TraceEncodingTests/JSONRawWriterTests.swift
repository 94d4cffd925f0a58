import XCTest

@testable import TraceEncoding

/// The word-at-a-time escape scan must flag exactly the words `JSONRawWriter.escaped` walks byte by byte.
final class JSONRawWriterTests: XCTestCase {
    static func byteNeedsEscape(_ b: UInt8) -> Bool {
        b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\")
    }

    static func word(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    func test_wordNeedsEscape_everyByteAtEveryPosition_matchesByteRule() {
        for filler: UInt8 in [UInt8(ascii: "a"), 0x20, 0x7F, 0x80, 0xC3, 0xFF] {
            for position in 0..<8 {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: filler, count: 8)
                    bytes[position] = UInt8(value)
                    XCTAssertEqual(
                        JSONRawWriter.wordNeedsEscape(Self.word(bytes)), Self.byteNeedsEscape(UInt8(value)), "\(bytes)")
                }
            }
        }
    }

    func test_wordNeedsEscape_randomWords_matchesByteRule() {
        let alphabet: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x61, 0x7F, 0x80, 0xA2, 0xDC, 0xFF]
        var state: UInt64 = 42
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<50_000 {
            let bytes = (0..<8).map { _ in alphabet[next() % alphabet.count] }
            XCTAssertEqual(JSONRawWriter.wordNeedsEscape(Self.word(bytes)), bytes.contains(where: Self.byteNeedsEscape), "\(bytes)")
        }
    }

    func test_string_escapesAtEveryOffset_matchJSONWriter() {
        // Each escape at each offset of texts longer than a word, against the byte-at-a-time JSONWriter.
        for special: UInt8 in [0x00, 0x0A, 0x1F, 0x22, 0x5C] {
            for length in [1, 7, 8, 9, 16, 23] {
                for position in 0..<length {
                    var bytes = Array("héllo, wörld! plain text".utf8.prefix(length))
                    while bytes.count < length { bytes.append(UInt8(ascii: "x")) }
                    bytes[position] = special
                    let text = String(decoding: bytes, as: UTF8.self)
                    var reference = JSONWriter(capacity: 0)
                    reference.string(text)
                    var raw: [UInt8] = []
                    JSONRawWriter.withRoom(2 + 6 * bytes.count, in: &raw) { $0.string(text) }
                    XCTAssertEqual(raw, reference.bytes, text)
                }
            }
        }
    }
}
