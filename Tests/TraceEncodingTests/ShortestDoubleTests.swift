import XCTest

@testable import TraceEncoding

/// `ReservedRoomWriter.shortestDouble` spells every double exactly as `Double.description` does, on its integer path
/// (whole nanoseconds below 10⁶ seconds) and off it.
final class ShortestDoubleTests: XCTestCase {
    private func written(_ d: Double) -> String {
        var bytes: [UInt8] = []
        ConsoleLineWriter.withRoom(32, in: &bytes) { $0.shortestDouble(d) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func assertLikeDescription(_ d: Double, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(written(d), d.description, "bits \(String(d.bitPattern, radix: 16))", file: file, line: line)
    }

    func test_notationBoundaries_andEveryDigitCount() {
        // Around 10⁻⁴, where description turns exponential, and at every power of ten the integer path takes.
        for n: UInt64 in [1, 9, 10, 11, 99_999, 100_000, 100_001, 999_999, 1_000_000, 250_000_000, 999_999_999,
                          1_000_000_000, 1_500_000_000, 12_500_000_000, 100_000_000_000, 999_999_999_999_999] {
            assertLikeDescription(Double(n) / 1e9)
            assertLikeDescription(-Double(n) / 1e9)
        }
        var power: UInt64 = 1
        for _ in 0..<15 {
            for n in [power, power &* 3, power &+ 1, power &* 7 &+ 3] where n < 1_000_000_000_000_000 {
                assertLikeDescription(Double(n) / 1e9)
            }
            power &*= 10
        }
    }

    func test_randomNanosecondMultiples_matchDescription() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<200_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // A magnitude from 1 ns to 10⁶ s, uniform in the number of digits.
            let digits = Int(state >> 60) % 15 + 1
            var limit: UInt64 = 1
            for _ in 0..<digits { limit &*= 10 }
            let n = (state >> 4) % limit + 1
            assertLikeDescription(Double(n) / 1e9)
        }
    }

    func test_valuesOffTheIntegerPath_matchDescription() {
        let values: [Double] = [
            0, -0.0, 1e-10, 5e-324, .leastNormalMagnitude, 1e6, 1e7, 123_456_789.125, 1e15, 1e16, 1e300,
            .greatestFiniteMagnitude, 0.1 + 0.2, 1.0 / 3.0, 2.0 / 3.0 * 1e-7, .pi, -.pi, 1e-9 / 3, .infinity,
            -.infinity, .nan,
        ]
        for value in values { assertLikeDescription(value) }
        var state: UInt64 = 7
        for _ in 0..<50_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let value = Double(bitPattern: state)
            guard value.isFinite else { continue }
            assertLikeDescription(value)
        }
    }
}
