import XCTest

@testable import TraceCore

final class SpanFactoryTests: XCTestCase {
    func test_spanFactory_attributeCapacity_reservesThatManySlots() {
        let exporter = InMemorySpanExporter()
        let factory = SpanFactory(
            resource: Resource.defaultResource(serviceName: "t", hostName: "h"), sampler: .alwaysOn,
            processor: SimpleSpanProcessor(exporter: exporter), idGenerator: IDGenerator(seed: 3))
        var span = factory.startSpan("s", attributeCapacity: 20)
        XCTAssertGreaterThanOrEqual(span.attributes.storage!.header.entryCapacity, 20)
        for i in 0..<20 { span.setAttribute(uniqueKey: "k\(i)", .int(Int64(i))) }
        factory.end(&span)
        XCTAssertEqual(exporter.finishedSpans.first?.attributes.count, 20)
    }
}
