import XCTest

@testable import TraceCore

final class RecordingSpanTests: XCTestCase {
    private func makeFactory(
        sampler: ConfiguredSampler = .alwaysOn,
        limits: SpanLimits = .default
    ) -> (SpanFactory<SimpleSpanProcessor<InMemorySpanExporter>>, InMemorySpanExporter) {
        let exporter = InMemorySpanExporter()
        let factory = SpanFactory(
            resource: Resource.defaultResource(serviceName: "test", hostName: "host"),
            sampler: sampler,
            processor: SimpleSpanProcessor(exporter: exporter),
            limits: limits,
            idGenerator: IDGenerator(seed: 7)
        )
        return (factory, exporter)
    }

    func test_startSpan_root_hasNewTraceWithRandomAndSampledFlags() {
        let (factory, _) = makeFactory()
        let span = factory.startSpan("GET /", kind: .server)
        XCTAssertTrue(span.isRecording)
        XCTAssertTrue(span.context.isValid)
        XCTAssertEqual(span.context.traceFlags, [.sampled, .random])
        XCTAssertFalse(span.context.isRemote)
        XCTAssertNil(span.parentSpanID)
    }

    func test_startSpan_withRemoteParent_continuesTraceAndCopiesRandomFlag() {
        let (factory, _) = makeFactory(sampler: .parentBasedAlwaysOn)
        var state = TraceState()
        state.set("vendor", "value")
        let parentWithoutRandom = SpanContext(
            traceID: TraceID(high: 1, low: 2), spanID: SpanID(rawValue: 3), traceFlags: .sampled,
            traceState: state, isRemote: true
        )
        let child = factory.startSpan("child", kind: .server, parent: parentWithoutRandom)
        XCTAssertEqual(child.context.traceID, parentWithoutRandom.traceID)
        XCTAssertNotEqual(child.context.spanID, parentWithoutRandom.spanID)
        XCTAssertEqual(child.parentSpanID, SpanID(rawValue: 3))
        XCTAssertEqual(child.context.traceFlags, .sampled, "random must not be added when continuing a trace")
        XCTAssertEqual(child.context.traceState, state)

        var withRandom = parentWithoutRandom
        withRandom.traceFlags = [.sampled, .random]
        XCTAssertEqual(factory.startSpan("child", parent: withRandom).context.traceFlags, [.sampled, .random])
    }

    func test_startSpan_unsampledParent_nonRecordingButValidContext() {
        let (factory, exporter) = makeFactory(sampler: .parentBasedAlwaysOn)
        let parent = SpanContext(traceID: TraceID(high: 1, low: 2), spanID: SpanID(rawValue: 3), isRemote: true)
        var span = factory.startSpan("dropped", parent: parent)
        XCTAssertFalse(span.isRecording)
        XCTAssertTrue(span.context.isValid)
        XCTAssertFalse(span.context.isSampled)
        XCTAssertEqual(span.context.traceID, parent.traceID)
        span.setAttribute("ignored", 1)
        XCTAssertTrue(span.attributes.isEmpty)
        factory.end(&span)
        XCTAssertEqual(exporter.exportedCount, 0)
    }

    func test_end_twice_isNoOp() {
        let (factory, exporter) = makeFactory()
        var span = factory.startSpan("once")
        factory.end(&span)
        factory.end(&span)
        XCTAssertNil(span.end())
        XCTAssertEqual(exporter.exportedCount, 1)
    }

    func test_end_producesFinishedSpanWithEverything() {
        let (factory, exporter) = makeFactory()
        var span = factory.startSpan("GET /users/{id}", kind: .server)
        span.setAttribute(SemanticAttributes.httpRequestMethod, "GET")
        span.setAttribute(SemanticAttributes.httpResponseStatusCode, 200)
        span.addEvent("first-byte")
        span.recordError(type: "TimeoutError", message: "backend timed out")
        span.addLink(SpanLink(context: SpanContext(traceID: TraceID(high: 9, low: 9), spanID: SpanID(rawValue: 9))))
        span.updateName("GET /users/{id}!")
        span.setStatus(.error(description: "boom"))
        let start = span.startMonotonicNanoseconds
        factory.end(&span, at: start + 1_500)

        let finished = exporter.finishedSpans[0]
        XCTAssertEqual(finished.name, "GET /users/{id}!")
        XCTAssertEqual(finished.kind, .server)
        XCTAssertEqual(finished.attributes[SemanticAttributes.httpRequestMethod], .string("GET"))
        XCTAssertEqual(finished.attributes.count, 2)
        XCTAssertEqual(finished.events.map(\.name), ["first-byte", "exception"])
        XCTAssertEqual(finished.events[1].attributes[SemanticAttributes.exceptionType], .string("TimeoutError"))
        XCTAssertEqual(finished.events[1].attributes[SemanticAttributes.exceptionMessage], .string("backend timed out"))
        XCTAssertEqual(finished.links.count, 1)
        XCTAssertEqual(finished.status, .error(description: "boom"))
        XCTAssertEqual(finished.endTimeUnixNano - finished.startTimeUnixNano, 1_500)
        XCTAssertEqual(finished.scope.name, "tracegw")
    }

    func test_end_beforeStartReading_clampsToZeroDuration() {
        let (factory, exporter) = makeFactory()
        var span = factory.startSpan("clamped")
        factory.end(&span, at: 0)
        let finished = exporter.finishedSpans[0]
        XCTAssertEqual(finished.endTimeUnixNano, finished.startTimeUnixNano)
    }

    func test_setStatus_okIsFinal_unsetIgnored() {
        let (factory, _) = makeFactory()
        var span = factory.startSpan("status")
        span.setStatus(.error(description: "first"))
        span.setStatus(.unset)
        XCTAssertEqual(span.status, .error(description: "first"))
        span.setStatus(.ok)
        span.setStatus(.error(description: "later"))
        XCTAssertEqual(span.status, .ok)
    }

    func test_events_overLimit_droppedAndCounted() {
        let (factory, exporter) = makeFactory(limits: SpanLimits(eventCountLimit: 2, linkCountLimit: 1))
        let link = SpanLink(context: SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(rawValue: 1)))
        var span = factory.startSpan("limits", links: [link, link])
        for index in 0..<5 { span.addEvent("e\(index)") }
        span.addLink(link)
        factory.end(&span)
        let finished = exporter.finishedSpans[0]
        XCTAssertEqual(finished.events.count, 2)
        XCTAssertEqual(finished.droppedEventsCount, 3)
        XCTAssertEqual(finished.links.count, 1)
        XCTAssertEqual(finished.droppedLinksCount, 2)
    }

    func test_nonRecording_carriesContextOnly() {
        let context = SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(rawValue: 1))
        var span = RecordingSpan.nonRecording(context: context)
        span.setAttribute("a", 1)
        XCTAssertEqual(span.context, context)
        XCTAssertNil(span.end())
    }

    func test_setAttribute_stringAndIntOverloads_replaceExistingValues() {
        let factory = SpanFactory(
            resource: Resource.defaultResource(serviceName: "t", hostName: "h"), sampler: .alwaysOn,
            processor: MultiSpanProcessor([]), idGenerator: IDGenerator(seed: 3))
        var span = factory.startSpan("s")
        span.setAttribute(SemanticAttributes.httpRoute, "/a")
        span.setAttribute(SemanticAttributes.httpRoute, "/b")
        span.setAttribute(SemanticAttributes.serverPort, 80)
        span.setAttribute(SemanticAttributes.serverPort, 8080)
        span.setAttribute("custom.key", "x")
        span.setAttribute("custom.key", 7)
        span.setAttribute(uniqueKey: SemanticAttributes.urlScheme, "http")
        span.setAttribute(uniqueKey: SemanticAttributes.httpResponseStatusCode, 204)
        span.setAttribute(uniqueKey: "other.key", 1)
        let attributes = span.attributes
        XCTAssertEqual(attributes.count, 6)
        XCTAssertEqual(attributes[SemanticAttributes.httpRoute], .string("/b"))
        XCTAssertEqual(attributes[SemanticAttributes.serverPort], .int(8080))
        XCTAssertEqual(attributes["custom.key"], .int(7))
        XCTAssertEqual(attributes[SemanticAttributes.urlScheme], .string("http"))
        XCTAssertEqual(attributes[SemanticAttributes.httpResponseStatusCode], .int(204))
        XCTAssertEqual(attributes["other.key"], .int(1))
        // The span's storage is now shared with `attributes`: a later set must not change that copy.
        span.setAttribute(SemanticAttributes.httpRoute, "/c")
        XCTAssertEqual(attributes[SemanticAttributes.httpRoute], .string("/b"))
        XCTAssertEqual(span.attributes[SemanticAttributes.httpRoute], .string("/c"))
        factory.end(&span)
    }
}
