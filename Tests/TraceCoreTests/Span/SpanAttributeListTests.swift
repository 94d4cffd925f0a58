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
        XCTAssertGreaterThanOrEqual(list.storage!.header.entryCapacity, 15)
        let before = list.storage!.header.entryCapacity
        for index in 0..<15 { list.set("key\(index)", .int(Int64(index))) }
        XCTAssertEqual(list.storage!.header.entryCapacity, before, "15 attributes must fit the initial allocation")
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

    /// Appending a value in two parts gives exactly the list that appending the joined bytes gives: in place, past
    /// the length limit (cut on a character boundary), past the arena and entry capacity, on shared storage, with
    /// empty parts, past the count limit, and under a run-time key.
    func test_appendUniqueKeyInTwoParts_equalsAppendingTheJoinedBytes() {
        let cases: [(head: String, tail: String, limits: AttributeLimits, reserved: Int)] = [
            ("http://127.0.0.1:8080", "/jobs/42?x=1", .default, 16),
            ("http://h", "/é/ü", AttributeLimits(valueLengthLimit: 11), 16),
            ("http://h", "/abc", AttributeLimits(valueLengthLimit: 3), 16),
            ("", "/only-tail", .default, 16),
            ("only-head", "", .default, 16),
            ("", "", .default, 16),
            (String(repeating: "p", count: 300), String(repeating: "t", count: 700), .default, 1),
            ("a", "b", AttributeLimits(countLimit: 1), 16),
            ("http://x", "/y", .default, 0),
        ]
        for (index, c) in cases.enumerated() {
            for key in [SemanticAttributes.urlFull, AttributeKey(String("run.time.key"))] {
                for shared in [false, true] {
                    var expected = SpanAttributeList(limits: c.limits, reservedCapacity: c.reserved)
                    var actual = SpanAttributeList(limits: c.limits, reservedCapacity: c.reserved)
                    expected.set("first", 1)
                    actual.set("first", 1)
                    let keepAlive = shared ? [expected, actual] : []
                    (c.head + c.tail).utf8.withContiguousStorageIfAvailable {
                        expected.append(uniqueKey: key, utf8: UnsafeRawBufferPointer($0))
                    }
                    c.head.utf8.withContiguousStorageIfAvailable { head in
                        c.tail.utf8.withContiguousStorageIfAvailable { tail in
                            actual.append(
                                uniqueKey: key, utf8: UnsafeRawBufferPointer(head), followedBy: UnsafeRawBufferPointer(tail),
                                storageIsUnique: false)
                        }
                    }
                    XCTAssertEqual(actual, expected, "case \(index), key \(key), shared \(shared)")
                    XCTAssertEqual(actual.droppedCount, expected.droppedCount, "case \(index)")
                    XCTAssertEqual(keepAlive.first?.count, shared ? 1 : nil, "a shared copy is left as it was")
                }
            }
        }
    }

    func test_copy_isIndependentOfMutationsToTheOriginal() {
        var list = SpanAttributeList()
        list.set("a", "one")
        let copy = list
        list.set("a", "two")
        list.set(AttributeKey("b"), 2)
        XCTAssertEqual(copy.count, 1)
        XCTAssertEqual(copy["a"], .string("one"))
        XCTAssertEqual(list["a"], .string("two"))
        XCTAssertEqual(list["b"], .int(2))
    }

    func test_growth_keepsEveryKindOfValue() {
        var list = SpanAttributeList(reservedCapacity: 1)
        let values: [AttributeValue] = [
            .string(String(repeating: "x", count: 300)), .bool(true), .int(-7), .double(2.5),
            .stringArray(["a", "", "ünï"]), .boolArray([true, false]), .intArray([Int64.min, 3]),
            .doubleArray([-1.25, 1e300]),
        ]
        for round in 0..<20 {
            for (index, value) in values.enumerated() { list.set("k\(round)-\(index)", value) }
        }
        XCTAssertEqual(list.count, 128, "count limit")
        XCTAssertEqual(list.droppedCount, 20 * values.count - 128)
        for round in 0..<16 {
            for (index, value) in values.enumerated() { XCTAssertEqual(list["k\(round)-\(index)"], value) }
        }
    }

    func test_replacingOneKeyManyTimes_keepsTheArenaBounded() {
        var list = SpanAttributeList()
        let long = String(repeating: "y", count: 1000)
        for _ in 0..<10_000 { list.set(SemanticAttributes.urlPath, .string(long)) }
        XCTAssertEqual(list.count, 1)
        XCTAssertLessThan(list.storage!.header.arenaCapacity, 8 * 1024, "replaced values are compacted away")
    }

    func test_utf8Setter_andViews_readBytesInPlace() {
        var list = SpanAttributeList(limits: AttributeLimits(valueLengthLimit: 4))
        let path: [UInt8] = Array("/users/42".utf8)
        path.withUnsafeBytes { list.append(uniqueKey: SemanticAttributes.urlPath, utf8: $0) }
        list.set(SemanticAttributes.httpResponseStatusCode, 200)
        list.set("custom", .stringArray(["a"]))
        var seen: [String] = []
        list.forEachView { key, value in
            let name = String(decoding: key, as: UTF8.self)
            switch value {
            case .string(let bytes): seen.append("\(name)=\(String(decoding: bytes, as: UTF8.self))")
            case .int(let int): seen.append("\(name)=\(int)")
            case .array(let array): seen.append("\(name)=\(array)")
            default: seen.append("\(name)=?")
            }
        }
        XCTAssertEqual(seen, ["url.path=/use", "http.response.status_code=200", "custom=stringArray([\"a\"])"])
        XCTAssertEqual(list[SemanticAttributes.urlPath], .string("/use"))
    }

    func test_sizeSummary_countsKeysAndArenaBytes_andFinishedSpanReadsTheSameInPlace() {
        var list = SpanAttributeList()
        XCTAssertTrue(SpanAttributeList(reservedCapacity: 0).sizeSummary == (0, 0, 0))
        list.set(SemanticAttributes.urlPath, .string("/jobs/1"))  // literal key: its bytes are not in the arena
        list.set("custom.key", .string("abc"))  // run-time key: key and value bytes in the arena
        list.set(SemanticAttributes.httpResponseStatusCode, .int(200))  // scalar: nothing in the arena
        list.set("ints", .intArray([1, 2]))  // 8 arena bytes per element
        let summary = list.sizeSummary
        XCTAssertEqual(summary.count, 4)
        XCTAssertEqual(summary.keyBytes, "url.path".utf8.count + "custom.key".utf8.count
            + "http.response.status_code".utf8.count + "ints".utf8.count)
        XCTAssertEqual(summary.arenaBytes, "/jobs/1".utf8.count + "custom.key".utf8.count + "abc".utf8.count
            + "ints".utf8.count + 16)
        list.set(SemanticAttributes.urlPath, .string("/x"))  // replaced in place or appended: never fewer bytes
        XCTAssertGreaterThanOrEqual(list.sizeSummary.arenaBytes, summary.arenaBytes)

        let span = FinishedSpan(
            name: "n", kind: .server, context: SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(rawValue: 1)),
            parentSpanID: nil, startTimeUnixNano: 1, endTimeUnixNano: 2, attributes: list)
        XCTAssertTrue(span.attributeSizeSummary == list.sizeSummary)
        var viaList: [String] = []
        var viaSpan: [String] = []
        list.forEachView { key, value in viaList.append("\(String(decoding: key, as: UTF8.self))=\(value)") }
        span.forEachAttributeView { key, value in viaSpan.append("\(String(decoding: key, as: UTF8.self))=\(value)") }
        XCTAssertEqual(viaSpan, viaList)
        XCTAssertEqual(viaSpan.count, 4)
        XCTAssertTrue(viaSpan.contains("ints=array(TraceCore.AttributeValue.intArray([1, 2]))"), "\(viaSpan)")
        XCTAssertFalse(span.hasEventsOrLinks)
        XCTAssertEqual(span.droppedAttributesCount, 0)
    }

    func test_literalAndRuntimeKeys_withTheSameBytes_areOneKey() {
        var list = SpanAttributeList()
        list.set(SemanticAttributes.httpRoute, "/a")
        list.set("http.route", "/b")
        XCTAssertEqual(list.count, 1)
        XCTAssertEqual(list[SemanticAttributes.httpRoute], .string("/b"))
        XCTAssertEqual(AttributeKey("http.route"), SemanticAttributes.httpRoute)
        XCTAssertEqual(AttributeKey("http.route").hashValue, SemanticAttributes.httpRoute.hashValue)
    }

    func test_stringValues_ofEveryShortLength_roundTrip() {
        var list = SpanAttributeList(reservedCapacity: 2)
        for length in 0...40 {
            let text = String((0..<length).map { Character(UnicodeScalar(UInt8(65 + $0 % 26))) })
            list.removeAll()
            list.set(SemanticAttributes.urlPath, .string(text))
            Array(text.utf8).withUnsafeBytes { list.set(SemanticAttributes.userAgentOriginal, utf8: $0) }
            XCTAssertEqual(list[SemanticAttributes.urlPath], .string(text), "length \(length)")
            XCTAssertEqual(list[SemanticAttributes.userAgentOriginal], .string(text), "length \(length)")
        }
    }

    func test_set_keysOfEqualLength_areTellApartAndReplaced() {
        var list = SpanAttributeList(reservedCapacity: 2)
        // server.address / client.address and server.port / client.port share lengths (the key-length mask cannot
        // tell them apart, the byte comparison must).
        list.set(SemanticAttributes.serverAddress, "s")
        list.set(SemanticAttributes.clientAddress, "c")
        list.set(SemanticAttributes.serverPort, 1)
        list.set(SemanticAttributes.clientPort, 2)
        list.set(SemanticAttributes.clientAddress, "c2")
        list.set("server.port", 3)
        XCTAssertEqual(list.count, 4)
        XCTAssertEqual(list[SemanticAttributes.serverAddress], .string("s"))
        XCTAssertEqual(list[SemanticAttributes.clientAddress], .string("c2"))
        XCTAssertEqual(list[SemanticAttributes.serverPort], .int(3))
        XCTAssertEqual(list[SemanticAttributes.clientPort], .int(2))
    }

    func test_set_afterRemoveAllGrowthAndCopy_stillFindsExistingKeys() {
        var list = SpanAttributeList(reservedCapacity: 1)
        list.set(SemanticAttributes.urlPath, "/a")
        list.removeAll()
        list.set(SemanticAttributes.urlPath, "/b")  // the cleared list forgot the key: appended once
        XCTAssertEqual(list.count, 1)
        // Grow through several reallocations with keys of many lengths, then replace every one of them.
        var keys: [String] = []
        for length in 1...40 { keys.append(String(repeating: "k", count: length)) }
        for key in keys { list.set(key, .int(Int64(key.count))) }
        let copy = list
        for key in keys { list.set(key, .int(-1)) }
        list.set(SemanticAttributes.urlPath, "/c")
        XCTAssertEqual(list.count, 41, "no key was appended twice")
        XCTAssertEqual(list["kkk"], .int(-1))
        XCTAssertEqual(list[SemanticAttributes.urlPath], .string("/c"))
        XCTAssertEqual(copy["kkk"], .int(3), "the copy kept its own values")
        XCTAssertEqual(copy.count, 41)
        var copied = copy
        copied.set(SemanticAttributes.urlPath, "/d")  // a key set before the copy is found in the copy
        XCTAssertEqual(copied.count, 41)
        XCTAssertEqual(copied[SemanticAttributes.urlPath], .string("/d"))
    }
}
