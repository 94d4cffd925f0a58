import XCTest

@testable import TraceCore

/// The 16-byte packed attribute entry: every field survives its neighbours being written, at its extremes.
final class AttributeEntryTests: XCTestCase {
    private let allKinds = AttributeEntryKind.allCases

    func test_layout_isTwoWords_andEveryKindFitsItsThreeBits() {
        XCTAssertEqual(MemoryLayout<AttributeEntry>.stride, 16)
        XCTAssertEqual(allKinds.count, 8)
        for kind in allKinds { XCTAssertLessThan(kind.rawValue, 8) }
    }

    func test_literalKey_keepsAddressLengthAndKind_throughValueWrites() {
        let bytes = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 1)
        defer { bytes.deallocate() }
        for kind in allKinds {
            for length in [0, 1, 17, AttributeEntry.maximumKeyLength] {
                var entry = AttributeEntry(literalKey: bytes, keyLength: length)
                entry.setScalar(kind: kind, bits: .max)
                XCTAssertEqual(entry.literalKey, UnsafeRawPointer(bytes))
                XCTAssertEqual(entry.keyLength, length)
                XCTAssertEqual(entry.kind, kind)
                XCTAssertEqual(entry.scalarBits, .max)
                entry.setArenaValue(kind: kind, offset: Int(UInt32.max), length: Int(UInt32.max))
                XCTAssertEqual(entry.literalKey, UnsafeRawPointer(bytes))
                XCTAssertEqual(entry.keyLength, length)
                XCTAssertEqual(entry.kind, kind)
                XCTAssertEqual(entry.valueOffset, Int(UInt32.max))
                XCTAssertEqual(entry.valueLength, Int(UInt32.max))
            }
        }
    }

    func test_arenaKey_offsetMovesWithoutTouchingTheRest() {
        for kind in allKinds {
            var entry = AttributeEntry(keyOffset: 12, keyLength: AttributeEntry.maximumKeyLength)
            entry.setArenaValue(kind: kind, offset: 7, length: 3)
            XCTAssertNil(entry.literalKey)
            entry.setKeyOffset(Int(UInt32.max))
            entry.setValueOffset(0)
            XCTAssertNil(entry.literalKey)
            XCTAssertEqual(entry.keyOffset, Int(UInt32.max))
            XCTAssertEqual(entry.keyLength, AttributeEntry.maximumKeyLength)
            XCTAssertEqual(entry.kind, kind)
            XCTAssertEqual(entry.valueOffset, 0)
            XCTAssertEqual(entry.valueLength, 3)
        }
    }

    func test_scalars_keepEveryBit() {
        var list = SpanAttributeList()
        list.set("min", .int(.min))
        list.set("max", .int(.max))
        list.set("minus one", .int(-1))
        list.set("negative zero", .double(-0.0))
        list.set("nan payload", .double(Double(bitPattern: 0x7FF8_0000_DEAD_BEEF)))
        list.set("true", true)
        XCTAssertEqual(list["min"], .int(.min))
        XCTAssertEqual(list["max"], .int(.max))
        XCTAssertEqual(list["minus one"], .int(-1))
        guard case .double(let zero) = list["negative zero"], case .double(let nan) = list["nan payload"] else {
            return XCTFail("doubles not read back")
        }
        XCTAssertEqual(zero.bitPattern, (-0.0 as Double).bitPattern)
        XCTAssertEqual(nan.bitPattern, 0x7FF8_0000_DEAD_BEEF)
        XCTAssertEqual(list["true"], .bool(true))
    }

    func test_canHoldLiteral_onlyShortKeysAt48BitAddresses() {
        let bytes = UnsafeMutableRawPointer.allocate(byteCount: AttributeEntry.maximumKeyLength + 1, alignment: 1)
        defer { bytes.deallocate() }
        XCTAssertTrue(AttributeEntry.canHoldLiteral(UnsafeRawBufferPointer(start: bytes, count: 4)))
        XCTAssertTrue(AttributeEntry.canHoldLiteral(
            UnsafeRawBufferPointer(start: bytes, count: AttributeEntry.maximumKeyLength)))
        XCTAssertFalse(AttributeEntry.canHoldLiteral(
            UnsafeRawBufferPointer(start: bytes, count: AttributeEntry.maximumKeyLength + 1)))
        let high = UnsafeRawPointer(bitPattern: UInt(1) << 50)!
        XCTAssertFalse(AttributeEntry.canHoldLiteral(UnsafeRawBufferPointer(start: high, count: 4)))
    }

    func test_keyAtTheLengthLimit_isKept_longerKeyIsDroppedAndCounted() {
        let longest = String(repeating: "k", count: AttributeEntry.maximumKeyLength)
        let tooLong = longest + "k"
        for appending in [false, true] {
            var list = SpanAttributeList()
            if appending {
                list.append(uniqueKey: longest, "kept")
                list.append(uniqueKey: tooLong, "dropped")
            } else {
                list.set(longest, "kept")
                list.set(tooLong, "dropped")
            }
            list.set("after", 1)
            XCTAssertEqual(list.count, 2, "appending: \(appending)")
            XCTAssertEqual(list.droppedCount, 1, "appending: \(appending)")
            XCTAssertEqual(list[longest], .string("kept"))
            XCTAssertNil(list[tooLong])
            XCTAssertEqual(list.map(\.key), [longest, "after"])
        }
    }

    func test_runTimeKeys_surviveGrowthAndCopyOnWrite() {
        var list = SpanAttributeList(reservedCapacity: 1)
        for index in 0..<40 { list.set("key.\(index)", .string(String(repeating: "v", count: index))) }
        var copy = list
        copy.set("key.3", .int(3))
        for index in 0..<40 {
            XCTAssertEqual(list["key.\(index)"], .string(String(repeating: "v", count: index)))
            if index != 3 { XCTAssertEqual(copy["key.\(index)"], .string(String(repeating: "v", count: index))) }
        }
        XCTAssertEqual(copy["key.3"], .int(3))
    }
}
