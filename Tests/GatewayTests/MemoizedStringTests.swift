import XCTest

@testable import Gateway

final class MemoizedStringTests: XCTestCase {
    func test_memoizedString_sameBytes_returnsStoredString() {
        var memo = MemoizedString()
        XCTAssertEqual(memo.string(for: ArraySlice("/jobs/progress/12345".utf8)), "/jobs/progress/12345")
        XCTAssertEqual(memo.cached(for: ArraySlice("/jobs/progress/12345".utf8)), "/jobs/progress/12345")
    }

    func test_memoizedString_differentBytes_decodesAgain() {
        var memo = MemoizedString()
        _ = memo.string(for: ArraySlice("/a".utf8))
        XCTAssertNil(memo.cached(for: ArraySlice("/b".utf8)))
        XCTAssertNil(memo.cached(for: ArraySlice("/ab".utf8)))
        XCTAssertEqual(memo.string(for: ArraySlice("/b".utf8)), "/b")
    }

    func test_memoizedString_afterReset_missesAndEmptyBytesWork() {
        var memo = MemoizedString()
        XCTAssertNil(memo.cached(for: []))
        memo.store("derived", for: [])
        XCTAssertEqual(memo.cached(for: []), "derived")
        memo.reset()
        XCTAssertNil(memo.cached(for: []))
    }
}
