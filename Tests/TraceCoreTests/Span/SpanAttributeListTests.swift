import XCTest

@testable import TraceCore

final class SpanAttributeListTests: XCTestCase {
    func test_set_existingKey_replacesInPlace() {
        var list = SpanAttributeList()
        list.set("a", "1")
        list.set("b", 2)
        list.set("a", "3")
        XCTAssertEqual(list.map(\.key), ["a", "b"])
        XCTAssertEqual(list["a"], .string("3"))
        XCTAssertEqual(list["b"], .int(2))
        XCTAssertNil(list["c"])
    }

    func test_set_whenFull_dropsAndCounts() {
        var list = SpanAttributeList(limits: AttributeLimits(countLimit: 2))
        list.set("a", true)
        list.set("b", 1.5)
        list.set("c", "dropped")
        list.set("d", "dropped")
        list.set("a", false)  // replacing an existing key still works when full
        XCTAssertEqual(list.count, 2)
        XCTAssertEqual(list.droppedCount, 2)
        XCTAssertEqual(list["a"], .bool(false))
    }

    func test_set_longString_truncatedAtScalarBoundary() {
        var list = SpanAttributeList(limits: AttributeLimits(valueLengthLimit: 5))
        list.set("ascii", "abcdefgh")
        list.set("twoByte", "aaaé")  // "aaa" + C3 A9 = 5 bytes: fits exactly
        list.set("split", "aaaaé")  // 6 bytes; cutting at 5 would split é, so it becomes "aaaa"
        list.set("emoji", "a😀b")  // 1 + 4 + 1 bytes; cut at 5 keeps the whole emoji
        list.set("array", .stringArray(["123456", "12"]))
        list.set("int", 1_234_567)
        XCTAssertEqual(list["ascii"], .string("abcde"))
        XCTAssertEqual(list["twoByte"], .string("aaaé"))
        XCTAssertEqual(list["split"], .string("aaaa"))
        XCTAssertEqual(list["emoji"], .string("a😀"))
        XCTAssertEqual(list["array"], .stringArray(["12345", "12"]))
        XCTAssertEqual(list["int"], .int(1_234_567))
    }

    func test_init_reservesCapacityForFifteenAttributes() {
        var list = SpanAttributeList()
        XCTAssertGreaterThanOrEqual(list.storage.capacity, 15)
        let before = list.storage.capacity
        for index in 0..<15 { list.set("key\(index)", .int(Int64(index))) }
        XCTAssertEqual(list.storage.capacity, before, "15 attributes must fit the initial allocation")
    }

    func test_removeAll_resetsCountAndDropped() {
        var list = SpanAttributeList(limits: AttributeLimits(countLimit: 1))
        list.set("a", 1)
        list.set("b", 2)
        list.removeAll()
        XCTAssertTrue(list.isEmpty)
        XCTAssertEqual(list.droppedCount, 0)
    }

    func test_appendUniqueKey_appliesLimitsLikeSet() {
        var list = SpanAttributeList(limits: AttributeLimits(countLimit: 2, valueLengthLimit: 3))
        list.append(uniqueKey: "a", "abcdef")
        list.append(uniqueKey: "b", 2)
        list.append(uniqueKey: "c", 3)
        XCTAssertEqual(list.map(\.key), ["a", "b"])
        XCTAssertEqual(list["a"], .string("abc"))
        XCTAssertEqual(list.droppedCount, 1)
        list.set("a", "x")
        XCTAssertEqual(list["a"], .string("x"), "set still finds keys added by append")
    }
}
