import Dispatch
import Synchronization
import XCTest

@testable import TraceCore

/// An exporter that blocks inside `export` until the test opens the gate, to prove `onEnd` never waits for it.
private final class GatedExporter: SpanExporter {
    private let gate = DispatchSemaphore(value: 0)
    private let state = Mutex((exported: 0, blockedCalls: 0, shutDown: false))

    func export(_ batch: [FinishedSpan]) -> ExportResult {
        state.withLock { $0.blockedCalls += 1 }
        _ = gate.wait(timeout: .now() + 30)
        state.withLock { $0.exported += batch.count }
        return .success
    }

    func forceFlush() {}
    func shutdown() { state.withLock { $0.shutDown = true } }

    func open() { for _ in 0..<10_000 { gate.signal() } }
    var blockedCalls: Int { state.withLock { $0.blockedCalls } }
    var exported: Int { state.withLock { $0.exported } }
}

/// Fails every export, to check failures are counted.
private final class FailingExporter: SpanExporter {
    func export(_ batch: [FinishedSpan]) -> ExportResult { .failure(reason: "collector down", retryable: true) }
    func forceFlush() {}
    func shutdown() {}
}

final class BatchSpanProcessorTests: XCTestCase {
    private let tenSeconds: UInt64 = 10_000_000_000

    func test_onEnd_eightThreadsOneMillionSpans_exportedPlusDroppedEqualsEnded() {
        let exporter = InMemorySpanExporter(retainsSpans: false)
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: BatchSpanProcessorConfiguration(maxQueueSize: 2048, maxExportBatchSize: 512)
        )
        let threads = 8
        let perThread = 125_000
        let span = FinishedSpan.stub()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<perThread { processor.onEnd(span) }
        }
        XCTAssertTrue(processor.shutdown(timeoutNanos: tenSeconds * 3))
        XCTAssertEqual(exporter.exportedCount + processor.droppedCount, threads * perThread)
        XCTAssertEqual(processor.exportedCount, exporter.exportedCount)
        XCTAssertTrue(exporter.isShutDown)
    }

    func test_onEnd_queueLargeEnough_dropsNothing() {
        let exporter = InMemorySpanExporter(retainsSpans: false)
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: BatchSpanProcessorConfiguration(maxQueueSize: 80_000, maxExportBatchSize: 512)
        )
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for index in 0..<10_000 { processor.onEnd(.stub(index: UInt64(thread * 10_000 + index))) }
        }
        XCTAssertTrue(processor.shutdown(timeoutNanos: tenSeconds))
        XCTAssertEqual(processor.droppedCount, 0)
        XCTAssertEqual(exporter.exportedCount, 80_000)
    }

    func test_shutdown_flushesQueuedSpansBeforeScheduleDelay() {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: BatchSpanProcessorConfiguration(scheduleDelay: .seconds(3600), maxExportBatchSize: 512)
        )
        for index in 0..<100 { processor.onEnd(.stub(index: UInt64(index))) }
        XCTAssertTrue(processor.shutdown(timeoutNanos: tenSeconds))
        XCTAssertEqual(exporter.finishedSpans.count, 100)
        XCTAssertEqual(exporter.finishedSpans.map(\.context.traceID.low), (0..<100).map { UInt64($0) }, "FIFO order")
        XCTAssertTrue(exporter.isShutDown)
        XCTAssertEqual(exporter.forceFlushCount, 1)

        processor.onEnd(.stub())
        XCTAssertEqual(processor.droppedCount, 1, "spans after shutdown are dropped and counted")
        XCTAssertTrue(processor.shutdown(timeoutNanos: tenSeconds), "second shutdown is harmless")
    }

    func test_forceFlush_exportsPartialBatchWithoutShuttingDown() {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter, configuration: BatchSpanProcessorConfiguration(scheduleDelay: .seconds(3600))
        )
        for _ in 0..<10 { processor.onEnd(.stub()) }
        XCTAssertTrue(processor.forceFlush(timeoutNanos: tenSeconds))
        XCTAssertEqual(exporter.exportedCount, 10)
        XCTAssertFalse(exporter.isShutDown)
        XCTAssertTrue(processor.forceFlush(timeoutNanos: tenSeconds), "flushing an empty queue succeeds")
        XCTAssertTrue(processor.shutdown(timeoutNanos: tenSeconds))
    }

    func test_scheduleDelay_exportsPartialBatchWithoutFlush() {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter, configuration: BatchSpanProcessorConfiguration(scheduleDelay: .milliseconds(10))
        )
        for _ in 0..<5 { processor.onEnd(.stub()) }
        // Poll rather than assert a time: the export thread wakes on its own schedule.
        let deadline = MonotonicClock.nowNanoseconds() + tenSeconds
        while exporter.exportedCount < 5 && MonotonicClock.nowNanoseconds() < deadline { usleep(1_000) }
        XCTAssertEqual(exporter.exportedCount, 5)
        XCTAssertTrue(processor.shutdown(timeoutNanos: tenSeconds))
    }

    func test_slowExporter_onEndNeverWaits_dropsInstead() {
        let exporter = GatedExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: BatchSpanProcessorConfiguration(maxQueueSize: 256, maxExportBatchSize: 64)
        )
        // Fill one batch and wait until the export thread is stuck inside export.
        for _ in 0..<64 { processor.onEnd(.stub()) }
        let deadline = MonotonicClock.nowNanoseconds() + tenSeconds
        while exporter.blockedCalls == 0 && MonotonicClock.nowNanoseconds() < deadline { usleep(1_000) }
        XCTAssertEqual(exporter.blockedCalls, 1)

        // With the exporter blocked, 10,000 more spans must all return (the gate is still closed) and be counted.
        for _ in 0..<10_000 { processor.onEnd(.stub()) }
        XCTAssertEqual(exporter.blockedCalls, 1, "onEnd returned while the exporter was still blocked")
        XCTAssertEqual(processor.droppedCount, 10_000 - 256)

        exporter.open()
        XCTAssertTrue(processor.shutdown(timeoutNanos: tenSeconds))
        XCTAssertEqual(exporter.exported + processor.droppedCount, 10_064)
    }

    func test_shutdown_deadlinePassesWhileExporterBlocked_returnsFalse() {
        let exporter = GatedExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter, configuration: BatchSpanProcessorConfiguration(maxExportBatchSize: 1)
        )
        processor.onEnd(.stub())
        let deadline = MonotonicClock.nowNanoseconds() + tenSeconds
        while exporter.blockedCalls == 0 && MonotonicClock.nowNanoseconds() < deadline { usleep(1_000) }
        XCTAssertFalse(processor.shutdown(timeoutNanos: 10_000_000))
        XCTAssertFalse(processor.forceFlush(timeoutNanos: 10_000_000))
        exporter.open()
        XCTAssertTrue(processor.shutdown(timeoutNanos: tenSeconds))
    }

    func test_failedExports_areCounted() {
        let processor = BatchSpanProcessor(exporter: FailingExporter())
        for _ in 0..<3 { processor.onEnd(.stub()) }
        XCTAssertTrue(processor.shutdown(timeoutNanos: tenSeconds))
        XCTAssertEqual(processor.failedExportCount, 3)
        XCTAssertEqual(processor.exportedCount, 3)
    }

    func test_multiSpanProcessor_eachExporterGetsItsOwnQueue() {
        let fast = InMemorySpanExporter()
        let slow = GatedExporter()
        let fastProcessor = BatchSpanProcessor(exporter: fast)
        let slowProcessor = BatchSpanProcessor(
            exporter: slow, configuration: BatchSpanProcessorConfiguration(maxQueueSize: 10, maxExportBatchSize: 1)
        )
        let multi = MultiSpanProcessor([fastProcessor, slowProcessor])
        for _ in 0..<100 { multi.onEnd(.stub()) }
        XCTAssertTrue(fastProcessor.forceFlush(timeoutNanos: tenSeconds))
        XCTAssertEqual(fast.exportedCount, 100, "the fast exporter is not held back by the slow one")
        XCTAssertGreaterThan(slowProcessor.droppedCount, 0)
        slow.open()
        XCTAssertTrue(multi.shutdown(timeoutNanos: tenSeconds))
        XCTAssertEqual(slow.exported + slowProcessor.droppedCount, 100)
    }

    func test_simpleSpanProcessor_exportsInline() {
        let exporter = InMemorySpanExporter()
        let processor = SimpleSpanProcessor(exporter: exporter)
        processor.onEnd(.stub(name: "inline"))
        XCTAssertEqual(exporter.finishedSpans.map(\.name), ["inline"])
        XCTAssertTrue(processor.shutdown(timeoutNanos: 0))
        processor.onEnd(.stub())
        XCTAssertEqual(exporter.exportedCount, 1)
        XCTAssertTrue(exporter.isShutDown)
    }

    func test_configuration_defaultsAndValidation() {
        let defaults = BatchSpanProcessorConfiguration()
        XCTAssertEqual(defaults.maxQueueSize, 2048)
        XCTAssertEqual(defaults.scheduleDelay, .seconds(5))
        XCTAssertEqual(defaults.exportTimeout, .seconds(30))
        XCTAssertEqual(defaults.maxExportBatchSize, 512)
        XCTAssertNoThrow(try defaults.validate())
        XCTAssertThrowsError(try BatchSpanProcessorConfiguration(maxQueueSize: 10, maxExportBatchSize: 11).validate())
        XCTAssertThrowsError(try BatchSpanProcessorConfiguration(maxQueueSize: 0).validate())
        XCTAssertThrowsError(try BatchSpanProcessorConfiguration(scheduleDelay: .zero).validate())
    }
}
