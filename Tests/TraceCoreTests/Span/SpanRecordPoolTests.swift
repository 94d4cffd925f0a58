import XCTest

@testable import TraceCore

final class SpanRecordPoolTests: XCTestCase {
    private func factory(pool: SpanRecordPool, processor: some SpanProcessor) -> SpanFactory<some SpanProcessor> {
        SpanFactory(
            resource: Resource.defaultResource(serviceName: "t", hostName: "h"), sampler: .alwaysOn,
            processor: processor, idGenerator: IDGenerator(seed: 9), recordPool: pool)
    }

    func test_recycle_recordStillReferencedElsewhere_isNeverReused() {
        let pool = SpanRecordPool(capacity: 8)
        let exporter = InMemorySpanExporter(retainsSpans: false)
        let factory = factory(pool: pool, processor: SimpleSpanProcessor(exporter: exporter))
        var span = factory.startSpan("first", kind: .server)
        span.setAttribute(SemanticAttributes.urlPath, "/a")
        span.addEvent("e")
        span.setStatus(.error(description: "x"))
        let held = span.end()!
        var finished = [held]
        pool.recycle(&finished)
        XCTAssertTrue(finished.isEmpty)
        XCTAssertEqual(pool.count, 1, "the batch is taken whole; reuse is decided when a factory pops it")

        let second = self.factory(pool: pool, processor: SimpleSpanProcessor(exporter: InMemorySpanExporter(retainsSpans: false)))
        var next = second.startSpan("second")
        XCTAssertNotEqual(ObjectIdentifier(next.record!), ObjectIdentifier(held.record), "a shared record is not reused")
        XCTAssertEqual(pool.count, 0)
        XCTAssertEqual(held.name, "first")
        XCTAssertEqual(held.attributes[SemanticAttributes.urlPath.name], .string("/a"), "the holder's span is intact")
        XCTAssertEqual(held.events.count, 1)
        second.end(&next)
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

    func test_recycle_retainedByAnExporter_isNotReused() {
        let pool = SpanRecordPool(capacity: 8)
        let exporter = InMemorySpanExporter(retainsSpans: true)
        let processor = BatchSpanProcessor(exporter: exporter, recordPool: pool)
        let factory = factory(pool: pool, processor: processor)
        var span = factory.startSpan("kept")
        span.setAttribute("k", "v")
        factory.end(&span)
        XCTAssertTrue(processor.shutdown(timeoutNanos: 10_000_000_000))
        let kept = exporter.finishedSpans.first!
        let second = self.factory(pool: pool, processor: MultiSpanProcessor([]))
        var next = second.startSpan("next")
        next.setAttribute("k", "other")
        XCTAssertNotEqual(ObjectIdentifier(next.record!), ObjectIdentifier(kept.record))
        XCTAssertEqual(exporter.finishedSpans.first?.attributes["k"], .string("v"), "the exporter's span is intact")
        second.end(&next)
    }

    func test_recycle_isBoundedByCapacity() {
        let pool = SpanRecordPool(capacity: 3)
        let factory = factory(pool: pool, processor: SimpleSpanProcessor(exporter: InMemorySpanExporter(retainsSpans: false)))
        func batch(_ n: Int) -> [FinishedSpan] {
            (0..<n).map { index in
                var span = factory.startSpan("s\(index)")
                return span.end()!
            }
        }
        var first = batch(2)
        pool.recycle(&first)
        XCTAssertEqual(pool.count, 2)
        XCTAssertTrue(first.isEmpty)
        var second = batch(2)
        pool.recycle(&second)
        XCTAssertEqual(pool.count, 2, "a batch that does not fit is released by the caller")
        XCTAssertTrue(second.isEmpty)
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

    /// Holds a live (noncopyable) span in an array.
    private final class LiveSpan {
        var span: RecordingSpan
        init(_ span: consuming RecordingSpan) { self.span = span }
    }

    func test_factory_withoutExporters_manySpansEndedInOnePass_allRecordsReused() {
        // A proxy pass at 256 connections ends up to 512 spans before it starts the next ones.
        let factory = factory(pool: SpanRecordPool(capacity: 8), processor: MultiSpanProcessor([]))
        var live: [LiveSpan] = []
        for i in 0..<600 {
            var span = factory.startSpan("s\(i)")
            span.setAttribute(SemanticAttributes.urlPath, "/a")
            live.append(LiveSpan(span))
        }
        let ended = Set(live.map { ObjectIdentifier($0.span.record!) })
        for holder in live { factory.end(&holder.span) }
        live.removeAll()
        var reused = 0
        for i in 0..<600 {
            let span = factory.startSpan("t\(i)")
            if ended.contains(ObjectIdentifier(span.record!)) { reused += 1 }
            XCTAssertTrue(span.attributes.isEmpty)
            live.append(LiveSpan(span))
        }
        XCTAssertEqual(reused, 600)
        for holder in live { factory.end(&holder.span) }
    }

    func test_factory_withoutExporters_recordWithLargeAttributes_isNotKept() {
        let factory = factory(pool: SpanRecordPool(capacity: 8), processor: MultiSpanProcessor([]))
        var small = factory.startSpan("small")
        small.setAttribute(SemanticAttributes.urlPath, "/a")
        weak let smallRecord = small.record
        factory.end(&small)
        XCTAssertNotNil(smallRecord, "kept for the next span")
        var big = factory.startSpan("big")
        XCTAssertTrue(big.record === smallRecord)
        big.setAttribute(SemanticAttributes.urlPath, String(repeating: "x", count: 2 * SpanRecordPool.largestRecycledAttributeBytes))
        weak let bigRecord = big.record
        factory.end(&big)
        XCTAssertNil(bigRecord, "freed, not kept")
    }

    func test_prefetch_readsEachSpansRecordAddressFromTheBufferWithoutRetaining() {
        // The reuse path's cache hints read a waiting span's record straight from the array's memory, which relies
        // on a FinishedSpan being exactly its record reference.
        XCTAssertEqual(MemoryLayout<FinishedSpan>.size, MemoryLayout<UnsafeRawPointer>.size)
        let factory = factory(pool: SpanRecordPool(capacity: 8), processor: MultiSpanProcessor([]))
        var spans: [FinishedSpan] = []
        for i in 0..<3 {
            var span = factory.startSpan("s\(i)")
            span.setAttribute(SemanticAttributes.urlPath, "/a")
            spans.append(span.end(at: 1)!)
        }
        spans.withUnsafeBufferPointer { buffer in
            for index in buffer.indices {
                let expected = UnsafeRawPointer(Unmanaged.passUnretained(buffer[index].record).toOpaque())
                XCTAssertEqual(SpanRecord.recordAddress(at: index, in: buffer), expected)
                SpanRecord.prefetchRecord(at: index, in: buffer, forWriting: true)
                SpanRecord.prefetchAttributes(at: index, in: buffer, forWriting: true)
                buffer.prefetchForEncoding(after: index)
            }
        }
        for index in spans.indices { XCTAssertTrue(isKnownUniquelyReferenced(&spans[index].record), "not retained") }
    }
}
