import IOCore
import XCTest

final class BufferPoolTests: XCTestCase {
    func test_bufferPool_recycledBuffer_isReusedCleared() {
        let pool = BufferPool(bufferCapacity: 1024, maximumPooled: 4)
        var buffer = pool.take()
        buffer.writeString("payload")
        pool.recycle(consume buffer)
        XCTAssertEqual(pool.pooledCount, 1)
        let again = pool.take()
        XCTAssertTrue(again.isEmpty)
        XCTAssertEqual(again.capacity, 1024)
        XCTAssertEqual(pool.pooledCount, 0)
    }

    func test_bufferPool_full_dropsExtraBuffers() {
        let pool = BufferPool(bufferCapacity: 64, maximumPooled: 2)
        for _ in 0..<5 { pool.recycle(ByteBuffer(capacity: 64)) }
        XCTAssertEqual(pool.pooledCount, 2)
    }

    func test_bufferPool_sharedBuffer_isNotRecycled() {
        let pool = BufferPool(bufferCapacity: 64)
        let buffer = pool.take()
        let keep = buffer
        pool.recycle(buffer)
        XCTAssertEqual(pool.pooledCount, 0)
        XCTAssertEqual(keep.capacity, 64)
    }

    func test_bufferPool_oversizedBuffer_isReleased() {
        let pool = BufferPool(bufferCapacity: 64, maximumRetainedCapacity: 256)
        pool.recycle(ByteBuffer(capacity: 4096))
        XCTAssertEqual(pool.pooledCount, 0)
    }
}
