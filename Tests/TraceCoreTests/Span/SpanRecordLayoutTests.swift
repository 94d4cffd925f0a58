import XCTest

@testable import TraceCore

/// The record fields that reuse and encoding touch lie in the cache lines the factory and encoders prefetch.
final class SpanRecordLayoutTests: XCTestCase {
    func test_hotFields_lieInThePrefetchedLines() {
        let record = SpanRecord(
            name: "GET /jobs/{id}", kind: .server,
            context: SpanContext(
                traceID: TraceID(high: 1, low: 2), spanID: SpanID(rawValue: 3), traceFlags: [], traceState: TraceState(),
                isRemote: false),
            parentSpanID: nil, startTimeUnixNano: 0, startMonotonicNanoseconds: 0, endTimeUnixNano: 0,
            attributes: SpanAttributeList(reservedCapacity: 20), events: [], droppedEventsCount: 0, links: [],
            droppedLinksCount: 0, status: .unset, limits: SpanLimits(), scope: InstrumentationScope(name: "test"))
        let base = UnsafeRawPointer(Unmanaged.passUnretained(record).toOpaque())
        let prefetchedBytes = SpanRecord.prefetchedRecordLines * 64
        // Where a field ends within the object; a field read through a temporary copy would lie outside it.
        func end<Field>(of field: ReferenceWritableKeyPath<SpanRecord, Field>) -> Int {
            let offset = withUnsafeMutablePointer(to: &record[keyPath: field]) { UnsafeRawPointer($0) - base }
            XCTAssertGreaterThanOrEqual(offset, 16, "inside the object, after its header")
            XCTAssertLessThan(offset, 1024, "inside the object")
            return offset + MemoryLayout<Field>.size
        }
        XCTAssertLessThanOrEqual(end(of: \.name), prefetchedBytes)
        XCTAssertLessThanOrEqual(end(of: \.limitsAndScopeOwner), prefetchedBytes)
        XCTAssertLessThanOrEqual(end(of: \.attributesMayBeShared), prefetchedBytes)
        XCTAssertLessThanOrEqual(end(of: \.context), prefetchedBytes)
        XCTAssertLessThanOrEqual(end(of: \.attributes), prefetchedBytes)
        XCTAssertLessThanOrEqual(end(of: \.status), prefetchedBytes)
        XCTAssertLessThanOrEqual(end(of: \.droppedLinksCount), prefetchedBytes)
        // Written only when another factory reuses the record: kept out of the prefetched lines.
        XCTAssertGreaterThan(end(of: \.scope), prefetchedBytes)
    }
}
