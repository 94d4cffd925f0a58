import Dispatch
import XCTest

@testable import TraceCore

final class FinishedSpanBatchTests: XCTestCase {
    private let tenSeconds: UInt64 = 10_000_000_000

    func test_factory_endBatchCapacity_handsOverFullBatchesAndFlushesTheRest() {
        let exporter = InMemorySpanExporter()
        let factory = SpanFactory(
            resource: Resource.defaultResource(serviceName: "t", hostName: "h"), sampler: .alwaysOn,
            processor: SimpleSpanProcessor(exporter: exporter), idGenerator: IDGenerator(seed: 5), endBatchCapacity: 4)
        var names: [String] = []
        for index in 0..<10 {
            var span = factory.startSpan("s\(index)")
            names.append("s\(index)")
            factory.end(&span)
        }
        XCTAssertEqual(exporter.finishedSpans.map(\.name), Array(names.prefix(8)), "two full batches of 4")
        factory.flushEndedSpans()
        XCTAssertEqual(exporter.finishedSpans.map(\.name), names)
        factory.flushEndedSpans()
        XCTAssertEqual(exporter.finishedSpans.count, 10, "flushing an empty batch hands over nothing")
    }

    func test_batchProcessor_onEndBatch_acceptsWhatFitsAndCountsTheRest() {
        let exporter = InMemorySpanExporter(retainsSpans: true)
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: BatchSpanProcessorConfiguration(
                maxQueueSize: 5, scheduleDelay: .seconds(60), maxExportBatchSize: 5))
        var batch = FinishedSpanBatch(capacity: 8)
        for index in 0..<8 { batch.append(.stub(name: "b\(index)")) }
        processor.onEnd(batch: &batch)
        XCTAssertTrue(batch.isEmpty)
        XCTAssertTrue(processor.forceFlush(timeoutNanos: tenSeconds))
        XCTAssertEqual(exporter.finishedSpans.map(\.name), ["b0", "b1", "b2", "b3", "b4"])
        XCTAssertEqual(processor.droppedCount, 3)
        XCTAssertTrue(processor.shutdown(timeoutNanos: tenSeconds))
        var late = FinishedSpanBatch(capacity: 2)
        late.append(.stub())
        processor.onEnd(batch: &late)
        XCTAssertEqual(processor.droppedCount, 4, "after shutdown a batch is dropped and counted")
    }

    func test_multiProcessor_onEndBatch_everyProcessorGetsEverySpan() {
        let exporters = (0..<3).map { _ in InMemorySpanExporter() }
        let multi = MultiSpanProcessor(exporters.map { SimpleSpanProcessor(exporter: $0) })
        var batch = FinishedSpanBatch(capacity: 3)
        for index in 0..<3 { batch.append(.stub(name: "m\(index)")) }
        multi.onEnd(batch: &batch)
        XCTAssertTrue(batch.isEmpty)
        for exporter in exporters { XCTAssertEqual(exporter.finishedSpans.map(\.name), ["m0", "m1", "m2"]) }
    }

    func test_batchedFactories_eightThreads_exportedPlusDroppedEqualsEnded() {
        let exporter = InMemorySpanExporter(retainsSpans: false)
        let processor = BatchSpanProcessor(
            exporter: exporter, configuration: BatchSpanProcessorConfiguration(maxQueueSize: 2048, maxExportBatchSize: 512))
        let threads = 8
        let perThread = 50_000
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let factory = SpanFactory(
                resource: Resource.defaultResource(serviceName: "t", hostName: "h"), sampler: .alwaysOn,
                processor: processor, idGenerator: IDGenerator(seed: UInt64(thread + 1)), endBatchCapacity: 64)
            for _ in 0..<perThread {
                var span = factory.startSpan("s", kind: .server)
                span.setAttribute(SemanticAttributes.httpResponseStatusCode, 200)
                factory.end(&span)
            }
            factory.flushEndedSpans()
        }
        XCTAssertTrue(processor.shutdown(timeoutNanos: tenSeconds * 3))
        XCTAssertEqual(exporter.exportedCount + processor.droppedCount, threads * perThread)
    }

    /// A flood of full batches makes the export thread watch the queue instead of sleeping (producers then skip the
    /// wake-up); flush and shutdown must still finish promptly and nothing may be lost or counted twice.
    func test_flood_fastExporter_flushAndShutdownStayPrompt_andCountsAddUp() {
        let exporter = InMemorySpanExporter(retainsSpans: false)
        let processor = BatchSpanProcessor(
            exporter: exporter, configuration: BatchSpanProcessorConfiguration(maxQueueSize: 2048, maxExportBatchSize: 256))
        let factory = SpanFactory(
            resource: Resource.defaultResource(serviceName: "t", hostName: "h"), sampler: .alwaysOn,
            processor: processor, idGenerator: IDGenerator(seed: 5), endBatchCapacity: 64)
        let ended = 300_000
        for _ in 0..<ended {
            var span = factory.startSpan("s", kind: .server)
            factory.end(&span)
        }
        factory.flushEndedSpans()
        let flushStarted = MonotonicClock.nowNanoseconds()
        XCTAssertTrue(processor.forceFlush(timeoutNanos: tenSeconds))
        XCTAssertLessThan(MonotonicClock.nowNanoseconds() - flushStarted, tenSeconds / 2)
        XCTAssertEqual(exporter.exportedCount + processor.droppedCount, ended)
        // A short second burst right after: the export thread may still be watching the queue.
        for _ in 0..<1_000 {
            var span = factory.startSpan("late", kind: .server)
            factory.end(&span)
        }
        factory.flushEndedSpans()
        XCTAssertTrue(processor.shutdown(timeoutNanos: tenSeconds))
        XCTAssertEqual(exporter.exportedCount + processor.droppedCount, ended + 1_000)
    }
}
