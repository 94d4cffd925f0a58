import Foundation
import XCTest

extension XCTestCase {
    /// Writes `text` to a new temporary YAML file that is removed when the test ends, and returns its path.
    func writeTemporaryFile(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "tracegw-test-\(UInt64.random(in: 0...UInt64.max)).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}
