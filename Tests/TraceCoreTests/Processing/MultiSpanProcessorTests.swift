import XCTest

@testable import TraceCore

final class MultiSpanProcessorTests: XCTestCase {
    func test_multiSpanProcessor_threeProcessors_eachGetsTheSameSpan() {
        let exporters = (0..<3).map { _ in InMemorySpanExporter() }
        let multi = MultiSpanProcessor(exporters.map { SimpleSpanProcessor(exporter: $0) })
        let span = FinishedSpan.stub()
        multi.onEnd(span)
        for exporter in exporters {
            XCTAssertEqual(exporter.finishedSpans, [span])
        }
    }

    func test_multiSpanProcessor_noProcessors_dropsTheSpan() {
        let multi = MultiSpanProcessor([])
        multi.onEnd(.stub())
        XCTAssertTrue(multi.forceFlush(timeoutNanos: 1_000_000))
    }
}
