import Foundation

/// Reads the golden files that `Fixtures/generate.py` wrote with the official encoders.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The offset and a short window around the first difference, for readable failures.
    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let n = min(a.count, b.count)
        var i = 0
        while i < n && a[i] == b[i] { i += 1 }
        if i == n && a.count == b.count { return "equal" }
        let lo = max(0, i - 16)
        func window(_ x: [UInt8]) -> String {
            x[lo..<min(x.count, i + 16)].map { String($0, radix: 16) }.joined(separator: " ")
        }
        return "sizes \(a.count)/\(b.count), first difference at \(i): ours [\(window(a))] golden [\(window(b))]"
    }
}
