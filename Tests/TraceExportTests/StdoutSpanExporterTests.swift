#if canImport(Glibc)
import Glibc
#endif
import TraceCore
import TraceEncoding
import TraceExport
import XCTest

/// The stdout exporter's `text` format written to a real file descriptor.
final class StdoutSpanExporterTests: XCTestCase {
    private func spans(_ count: Int) -> [FinishedSpan] {
        (0..<count).map { i in
            var attributes = SpanAttributeList()
            attributes.set(SemanticAttributes.httpRequestMethod, "GET")
            attributes.set(SemanticAttributes.urlPath, .string("/jobs/\(i)/" + String(repeating: "p", count: i % 300)))
            attributes.set(SemanticAttributes.userAgentOriginal, .string("agent with spaces \(i)"))
            attributes.set(SemanticAttributes.httpResponseStatusCode, .int(200))
            return FinishedSpan(
                name: "GET /jobs/{id}", kind: .server,
                context: SpanContext(traceID: TraceID(high: 1, low: UInt64(i + 1)), spanID: SpanID(rawValue: UInt64(i + 1)),
                                     traceFlags: .sampled),
                parentSpanID: nil, startTimeUnixNano: 1_764_000_000_000_000_000 + UInt64(i) * 1_000_000,
                endTimeUnixNano: 1_764_000_000_000_500_000 + UInt64(i) * 1_000_000, attributes: attributes)
        }
    }

    /// Reads the whole file behind `descriptor` from its start.
    private func contents(of descriptor: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if n <= 0 { break }
            bytes += chunk[..<n]
            offset += off_t(n)
        }
        return bytes
    }

    func test_textBatchLargerThanManyChunks_isWrittenWhole_inOrder_oneLinePerSpan() throws {
        var template = Array("/tmp/tracegw-stdout-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        defer {
            close(descriptor)
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        }
        let batch = spans(700)
        var expected: [UInt8] = []
        for span in batch { ConsoleSpanFormatter.format(span, into: &expected) }
        XCTAssertGreaterThan(expected.count, 8 * StdoutSpanExporter.textChunkBytes, "the batch spans many chunks")

        let exporter = StdoutSpanExporter(resource: Resource(), format: .text, fileDescriptor: descriptor)
        XCTAssertEqual(exporter.export(batch), .success)
        XCTAssertEqual(exporter.export(Array(batch.prefix(3))), .success)
        let written = contents(of: descriptor)
        var expectedTwice = expected
        for span in batch.prefix(3) { ConsoleSpanFormatter.format(span, into: &expectedTwice) }
        XCTAssertEqual(written.count, expectedTwice.count)
        XCTAssertTrue(written == expectedTwice, "the chunked writes give the line-by-line text, in order")
        XCTAssertEqual(written.filter { $0 == 0x0A }.count, 703)
    }

    func test_textToABadDescriptor_failsWithoutRetry() {
        let exporter = StdoutSpanExporter(resource: Resource(), format: .text, fileDescriptor: -1)
        guard case .failure(let reason, let retryable) = exporter.export(spans(40)) else {
            return XCTFail("a write to fd -1 must fail")
        }
        XCTAssertFalse(retryable)
        XCTAssertTrue(reason.contains("fd -1"), reason)
    }
}
