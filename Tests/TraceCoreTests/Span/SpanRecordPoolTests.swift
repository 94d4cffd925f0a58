import XCTest

@testable import TraceCore

final class SpanRecordPoolTests: XCTestCase {
    private func factory(pool: SpanRecordPool, processor: some SpanProcessor) -> SpanFactory<some SpanProcessor> {
        SpanFactory(
            resource: Resource.defaultResource(serviceName: "t", hostName: "h"), sampler: .alwaysOn,
            processor: processor, idGenerator: IDGenerator(seed: 9), recordPool: pool)
    }

    func test_recycle_uniqueRecords_areClearedAndReusedByTheNextSpan() {
        let pool = SpanRecordPool(capacity: 8)
        let exporter = InMemorySpanExporter(retainsSpans: false)
        let factory = factory(pool: pool, processor: SimpleSpanProcessor(exporter: exporter))
        var span = factory.startSpan("first", kind: .server)
        span.setAttribute(SemanticAttributes.urlPath, "/a")
        span.addEvent("e")
        span.setStatus(.error(description: "x"))
        var finished = [span.end()!]
        let record = finished[0].record
        pool.recycle(&finished)
        XCTAssertEqual(pool.count, 0, "a record still referenced elsewhere is never recycled")
        _ = record
    }

    func test_recycle_thenStart_reusesTheRecordWithNothingLeftOver() {
        let pool = SpanRecordPool(capacity: 8)
        let factory = factory(pool: pool, processor: SimpleSpanProcessor(exporter: InMemorySpanExporter(retainsSpans: false)))
        var span = factory.startSpan("first", kind: .server)
        span.setAttribute(SemanticAttributes.urlPath, "/a")
        span.addEvent("e")
        span.setStatus(.error(description: "x"))
        let recordID = ObjectIdentifier(span.record!)
        var finished = [span.end()!]
        pool.recycle(&finished)
        XCTAssertTrue(finished.isEmpty)
        XCTAssertEqual(pool.count, 1)

        // A new factory: the first one backs off from the pool after finding it empty.
        let second = self.factory(pool: pool, processor: SimpleSpanProcessor(exporter: InMemorySpanExporter(retainsSpans: false)))
        var next = second.startSpan("second", kind: .client)
        XCTAssertEqual(ObjectIdentifier(next.record!), recordID, "the recycled record is reused")
        XCTAssertEqual(pool.count, 0)
        XCTAssertEqual(next.name, "second")
        XCTAssertEqual(next.kind, .client)
        XCTAssertTrue(next.attributes.isEmpty)
        XCTAssertTrue(next.events.isEmpty)
        XCTAssertEqual(next.status, .unset)
        next.setAttribute(SemanticAttributes.httpRoute, "/b")
        let done = next.end()!
        XCTAssertEqual(done.attributes.map(\.key), ["http.route"])
    }

    func test_recycle_retainedByAnExporter_isNotRecycled() {
        let pool = SpanRecordPool(capacity: 8)
        let exporter = InMemorySpanExporter(retainsSpans: true)
        let processor = BatchSpanProcessor(exporter: exporter, recordPool: pool)
        let factory = factory(pool: pool, processor: processor)
        var span = factory.startSpan("kept")
        span.setAttribute("k", "v")
        factory.end(&span)
        XCTAssertTrue(processor.shutdown(timeoutNanos: 10_000_000_000))
        XCTAssertEqual(pool.count, 0)
        XCTAssertEqual(exporter.finishedSpans.first?.attributes["k"], .string("v"), "the exporter's span is intact")
    }

    func test_recycle_isBoundedByCapacity() {
        let pool = SpanRecordPool(capacity: 3)
        let factory = factory(pool: pool, processor: SimpleSpanProcessor(exporter: InMemorySpanExporter(retainsSpans: false)))
        var finished: [FinishedSpan] = []
        for index in 0..<10 {
            var span = factory.startSpan("s\(index)")
            finished.append(span.end()!)
        }
        pool.recycle(&finished)
        XCTAssertEqual(pool.count, 3)
    }

    func test_batchProcessor_returnsExportedRecordsToThePool() {
        let pool = SpanRecordPool(capacity: 100)
        let processor = BatchSpanProcessor(exporter: InMemorySpanExporter(retainsSpans: false), recordPool: pool)
        let factory = factory(pool: pool, processor: processor)
        for _ in 0..<10 {
            var span = factory.startSpan("s")
            span.setAttribute(SemanticAttributes.httpResponseStatusCode, 200)
            factory.end(&span)
        }
        XCTAssertTrue(processor.forceFlush(timeoutNanos: 10_000_000_000))
        XCTAssertEqual(pool.count, 10)
        XCTAssertTrue(processor.shutdown(timeoutNanos: 10_000_000_000))
    }

    func test_factory_withoutExporters_reusesEndedSpansRecordsAtOnce() {
        let factory = factory(pool: SpanRecordPool(capacity: 8), processor: MultiSpanProcessor([]))
        var first = factory.startSpan("first")
        first.setAttribute(SemanticAttributes.urlPath, "/a")
        let recordID = ObjectIdentifier(first.record!)
        factory.end(&first)
        var second = factory.startSpan("second")
        XCTAssertEqual(ObjectIdentifier(second.record!), recordID)
        XCTAssertTrue(second.attributes.isEmpty, "nothing of the first span is left")
        XCTAssertEqual(second.name, "second")
        factory.end(&second)
    }
}
