import XCTest

@testable import TraceCore

final class TraceIDTests: XCTestCase {
    func test_traceID_hexRoundTrip_preservesValue() {
        let id = TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736)
        XCTAssertEqual(id.hexString, "4bf92f3577b34da6a3ce929d0e0e4736")
        XCTAssertEqual(TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736"), id)
    }

    func test_traceID_bytes_areBigEndian() {
        let id = TraceID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10)
        XCTAssertEqual(id.bytes, Array(1...16))
        id.withUnsafeBytes { XCTAssertEqual(Array($0), Array(1...16)) }
    }

    func test_traceID_uppercaseOrWrongLength_isRejected() {
        XCTAssertNil(TraceID(hex: "4BF92F3577B34DA6A3CE929D0E0E4736"))
        XCTAssertNil(TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e473"))
        XCTAssertNil(TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e47360"))
        XCTAssertNil(TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e473g"))
    }

    func test_traceID_allZero_isInvalid() {
        XCTAssertFalse(TraceID.invalid.isValid)
        XCTAssertEqual(TraceID(hex: String(repeating: "0", count: 32)), .invalid)
        XCTAssertTrue(TraceID(high: 0, low: 1).isValid)
    }

    func test_traceID_writeHex_writesIntoBuffer() {
        let id = TraceID(high: 0xdead_beef, low: 0xff)
        var buffer = [UInt8](repeating: 0, count: 34)
        buffer.withUnsafeMutableBytes { id.writeHex(into: $0) }
        XCTAssertEqual(String(decoding: buffer[0..<32], as: UTF8.self), "00000000deadbeef00000000000000ff")
        XCTAssertEqual(buffer[32], 0)
    }

    func test_spanID_hexRoundTrip_preservesValue() {
        let id = SpanID(rawValue: 0x00f0_67aa_0ba9_02b7)
        XCTAssertEqual(id.hexString, "00f067aa0ba902b7")
        XCTAssertEqual(SpanID(hex: "00f067aa0ba902b7"), id)
        XCTAssertEqual(id.bytes, [0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7])
        XCTAssertNil(SpanID(hex: "00F067AA0BA902B7"))
        XCTAssertFalse(SpanID.invalid.isValid)
    }
}

final class HexTests: XCTestCase {
    /// The SWAR parser must agree with the byte-at-a-time parser on every byte value in every position.
    func test_parseLowercase8_everyByteInEveryPosition_matchesScalarParser() {
        for position in 0..<8 {
            for byte in 0...255 {
                var text = Array("0123abcd".utf8)
                text[position] = UInt8(byte)
                text.withUnsafeBytes { raw in
                    let scalar = Hex.parseUInt64(raw, offset: 0, count: 8).map { UInt32($0) }
                    XCTAssertEqual(Hex.parseLowercase8(raw, offset: 0), scalar, "byte \(byte) at \(position)")
                }
            }
        }
    }

    func test_parseLowercase16_knownValues() {
        for (text, value) in [
            ("0000000000000000", UInt64(0)), ("ffffffffffffffff", .max), ("00f067aa0ba902b7", 0x00f0_67aa_0ba9_02b7),
            ("0123456789abcdef", 0x0123_4567_89ab_cdef), ("fedcba9876543210", 0xfedc_ba98_7654_3210),
        ] {
            Array(text.utf8).withUnsafeBytes { XCTAssertEqual(Hex.parseLowercase16($0, offset: 0), value, text) }
        }
        Array("0123456789abcdeF".utf8).withUnsafeBytes { XCTAssertNil(Hex.parseLowercase16($0, offset: 0)) }
    }

    func test_writeHex_randomIDs_matchTheStandardLibrarysHex() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let high = UInt64.random(in: .min ... .max, using: &generator)
            let low = UInt64.random(in: .min ... .max, using: &generator)
            let expected = [high, low].map { word -> String in
                let digits = String(word, radix: 16)
                return String(repeating: "0", count: 16 - digits.count) + digits
            }.joined()
            XCTAssertEqual(TraceID(high: high, low: low).hexString, expected)
        }
        XCTAssertEqual(TraceID(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98_7654_3210).hexString,
                       "0123456789abcdeffedcba9876543210")
    }
}
