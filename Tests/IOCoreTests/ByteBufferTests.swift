import IOCore
import XCTest

final class ByteBufferTests: XCTestCase {
    func test_byteBuffer_writeThenRead_returnsSameBytesAndAdvancesIndices() {
        var buffer = ByteBuffer(capacity: 4)
        buffer.writeString("hello")
        buffer.writeInteger(UInt16(0x0102))
        XCTAssertEqual(buffer.readableBytes, 7)
        XCTAssertEqual(buffer.readBytes(length: 5), Array("hello".utf8))
        XCTAssertEqual(buffer.readInteger(as: UInt16.self), 0x0102)
        XCTAssertNil(buffer.readInteger(as: UInt8.self))
        XCTAssertTrue(buffer.isEmpty)
    }

    func test_byteBuffer_growth_keepsContent() {
        var buffer = ByteBuffer(capacity: 1)
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0) }
        buffer.writeBytes(bytes)
        XCTAssertEqual(buffer.readableBytes, bytes.count)
        XCTAssertGreaterThanOrEqual(buffer.capacity, bytes.count)
        XCTAssertEqual(buffer.readBytes(length: bytes.count), bytes)
    }

    func test_byteBuffer_mutatingCopy_doesNotChangeOriginal() {
        var original = ByteBuffer(string: "abc")
        var copy = original
        copy.writeString("def")
        _ = copy.readBytes(length: 1)
        XCTAssertEqual(original.readBytes(length: 3), Array("abc".utf8))
        XCTAssertEqual(copy.readBytes(length: 5), Array("bcdef".utf8))
    }

    func test_byteBuffer_sharedCopyReadOnly_sharesStorage() {
        let original = ByteBuffer(string: "shared")
        var copy = original
        XCTAssertFalse(copy.isUniquelyOwned)
        copy.moveReaderIndex(forwardBy: 2)
        XCTAssertEqual(copy, ByteBuffer(string: "ared"))
        XCTAssertEqual(original, ByteBuffer(string: "shared"))
    }

    func test_byteBuffer_moveWriterIndexBack_rewritesTailWithoutChangingASharedCopy() {
        var buffer = ByteBuffer(capacity: 64)
        buffer.writeString("GET / HTTP/1.1\r\n")
        let headLength = buffer.writerIndex
        buffer.writeString("attempt: 1\r\n")
        let queued = buffer  // e.g. still in the write queue of an abandoned connection
        buffer.moveWriterIndex(backTo: headLength)
        buffer.writeString("attempt: 2\r\n")
        XCTAssertEqual(buffer, ByteBuffer(string: "GET / HTTP/1.1\r\nattempt: 2\r\n"))
        XCTAssertEqual(queued, ByteBuffer(string: "GET / HTTP/1.1\r\nattempt: 1\r\n"))
    }

    func test_byteBuffer_discardReadBytes_movesReadableToFront() {
        var buffer = ByteBuffer(capacity: 64)
        buffer.writeString("0123456789")
        buffer.moveReaderIndex(forwardBy: 4)
        let capacity = buffer.capacity
        buffer.discardReadBytes()
        XCTAssertEqual(buffer.readerIndex, 0)
        XCTAssertEqual(buffer.writerIndex, 6)
        XCTAssertEqual(buffer.capacity, capacity)
        XCTAssertEqual(buffer, ByteBuffer(string: "456789"))
    }

    func test_byteBuffer_fullyConsumed_resetsIndicesForReuse() {
        var buffer = ByteBuffer(capacity: 16)
        buffer.writeString("abcd")
        buffer.moveReaderIndex(forwardBy: 4)
        XCTAssertEqual(buffer.readerIndex, 0)
        XCTAssertEqual(buffer.writerIndex, 0)
        XCTAssertEqual(buffer.writableBytes, buffer.capacity)
    }

    func test_byteBuffer_withUnsafeMutableWritableBytes_advancesWriterByReturnedCount() {
        var buffer = ByteBuffer(capacity: 8)
        let result = buffer.withUnsafeMutableWritableBytes { region -> (written: Int, result: String) in
            region[0] = 0x41
            region[1] = 0x42
            return (2, "done")
        }
        XCTAssertEqual(result, "done")
        XCTAssertEqual(buffer, ByteBuffer(string: "AB"))
    }

    func test_byteBuffer_writableOnSharedStorage_copiesBeforeWriting() {
        var a = ByteBuffer(capacity: 32)
        a.writeString("xy")
        let b = a
        a.withUnsafeMutableWritableBytes { region in
            region[0] = 0x7A
            return (1, ())
        }
        XCTAssertEqual(a, ByteBuffer(string: "xyz"))
        XCTAssertEqual(b, ByteBuffer(string: "xy"))
    }

    func test_byteBuffer_clear_keepsCapacity() {
        var buffer = ByteBuffer(capacity: 128)
        buffer.writeString("data")
        buffer.clear()
        XCTAssertTrue(buffer.isEmpty)
        XCTAssertEqual(buffer.capacity, 128)
    }

    func test_byteBuffer_emptyInit_writesWithoutCrash() {
        var buffer = ByteBuffer()
        XCTAssertEqual(buffer.capacity, 0)
        buffer.writeString("z")
        XCTAssertEqual(buffer, ByteBuffer(string: "z"))
    }

    func test_byteBuffer_writeReserved_appendsExactlyTheReservedBytes() {
        var buffer = ByteBuffer(capacity: 2)
        buffer.writeString("ab")
        buffer.writeReserved(300) { room in
            for i in 0..<300 { room.storeBytes(of: UInt8(truncatingIfNeeded: i), toByteOffset: i, as: UInt8.self) }
        }
        buffer.writeReserved(0) { _ in }
        XCTAssertEqual(buffer.readableBytes, 302)
        XCTAssertEqual(buffer.readBytes(length: 2), Array("ab".utf8))
        XCTAssertEqual(buffer.readBytes(length: 300), (0..<300).map { UInt8(truncatingIfNeeded: $0) })
    }

    func test_byteBuffer_writeReservedOnSharedStorage_copiesBeforeWriting() {
        var original = ByteBuffer(capacity: 64)
        original.writeString("head")
        var copy = original
        copy.writeReserved(3) { room in room.copyMemory(from: "xyz", byteCount: 3) }
        original.writeReserved(2) { room in room.copyMemory(from: "12", byteCount: 2) }
        XCTAssertEqual(copy.readBytes(length: 7), Array("headxyz".utf8))
        XCTAssertEqual(original.readBytes(length: 6), Array("head12".utf8))
    }
}
