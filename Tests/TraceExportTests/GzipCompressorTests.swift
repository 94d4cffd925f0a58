import CZlib
import TraceExport
import XCTest

final class GzipCompressorTests: XCTestCase {
    private func gunzip(_ input: [UInt8], expectedCount: Int) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(expectedCount, 1))
        var input = input
        let rc = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf -> Int32 in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = UInt32(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = UInt32(outBuf.count)
                return inflate(&stream, Z_FINISH)
            }
        }
        guard rc == Z_STREAM_END else { return nil }
        return Array(output.prefix(Int(stream.total_out)))
    }

    func test_compress_roundTripsThroughZlibInflate() throws {
        let input = Array((0..<100_000).map { UInt8(truncatingIfNeeded: $0 % 251) })
        let compressor = GzipCompressor()
        let compressed = try XCTUnwrap(compressor.compress(input))
        XCTAssertEqual(Array(compressed.prefix(2)), [0x1F, 0x8B], "gzip magic (RFC 1952 §2.3.1)")
        XCTAssertLessThan(compressed.count, input.count / 10)
        XCTAssertEqual(gunzip(compressed, expectedCount: input.count), input)
    }

    func test_compress_reusedForSeveralBodies_eachIsACompleteMember() throws {
        let compressor = GzipCompressor()
        for size in [0, 1, 17, 65_536] {
            let input = [UInt8](repeating: 0x41, count: size)
            let compressed = try XCTUnwrap(compressor.compress(input))
            XCTAssertEqual(gunzip(compressed, expectedCount: size), input, "size \(size)")
        }
    }
}
