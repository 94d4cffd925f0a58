import Benchmark
import TraceCore

/// Discards spans; measures the processor and queue, not an exporter.
final class NoOpSpanExporter: SpanExporter {
    func export(_ batch: [FinishedSpan]) -> ExportResult { .success }
    func forceFlush() {}
    func shutdown() {}
}

/// Drops every span; isolates span cost from the queue.
final class NoOpSpanProcessor: SpanProcessor {
    func onEnd(_ span: FinishedSpan) {}
    func forceFlush(timeoutNanos: UInt64) -> Bool { true }
    func shutdown(timeoutNanos: UInt64) -> Bool { true }
}

/// The 15 attributes an HTTP server span carries.
@inline(__always)
func setHTTPAttributes(_ span: inout RecordingSpan) {
    span.setAttribute(SemanticAttributes.httpRequestMethod, "GET")
    span.setAttribute(SemanticAttributes.urlPath, "/users/42")
    span.setAttribute(SemanticAttributes.urlScheme, "http")
    span.setAttribute(SemanticAttributes.httpRoute, "/users/{id}")
    span.setAttribute(SemanticAttributes.serverAddress, "api.local")
    span.setAttribute(SemanticAttributes.serverPort, 8080)
    span.setAttribute(SemanticAttributes.clientAddress, "127.0.0.1")
    span.setAttribute(SemanticAttributes.clientPort, 51234)
    span.setAttribute(SemanticAttributes.networkPeerAddress, "127.0.0.1")
    span.setAttribute(SemanticAttributes.networkPeerPort, 51234)
    span.setAttribute(SemanticAttributes.networkProtocolVersion, "1.1")
    span.setAttribute(SemanticAttributes.userAgentOriginal, "curl/8.0")
    span.setAttribute(SemanticAttributes.httpRequestBodySize, 0)
    span.setAttribute(SemanticAttributes.httpResponseBodySize, 512)
    span.setAttribute(SemanticAttributes.httpResponseStatusCode, 200)
}

/// The same 15 attributes through the unique-key fast path.
@inline(__always)
func setHTTPAttributesUnique(_ span: inout RecordingSpan) {
    span.setAttribute(uniqueKey: SemanticAttributes.httpRequestMethod, "GET")
    span.setAttribute(uniqueKey: SemanticAttributes.urlPath, "/users/42")
    span.setAttribute(uniqueKey: SemanticAttributes.urlScheme, "http")
    span.setAttribute(uniqueKey: SemanticAttributes.httpRoute, "/users/{id}")
    span.setAttribute(uniqueKey: SemanticAttributes.serverAddress, "api.local")
    span.setAttribute(uniqueKey: SemanticAttributes.serverPort, 8080)
    span.setAttribute(uniqueKey: SemanticAttributes.clientAddress, "127.0.0.1")
    span.setAttribute(uniqueKey: SemanticAttributes.clientPort, 51234)
    span.setAttribute(uniqueKey: SemanticAttributes.networkPeerAddress, "127.0.0.1")
    span.setAttribute(uniqueKey: SemanticAttributes.networkPeerPort, 51234)
    span.setAttribute(uniqueKey: SemanticAttributes.networkProtocolVersion, "1.1")
    span.setAttribute(uniqueKey: SemanticAttributes.userAgentOriginal, "curl/8.0")
    span.setAttribute(uniqueKey: SemanticAttributes.httpRequestBodySize, 0)
    span.setAttribute(uniqueKey: SemanticAttributes.httpResponseBodySize, 512)
    span.setAttribute(uniqueKey: SemanticAttributes.httpResponseStatusCode, 200)
}

/// A span factory for the benchmarks (fixed resource, parent-based always-on sampler).
func benchmarkFactory<Processor: SpanProcessor>(processor: Processor, endBatchCapacity: Int = 1) -> SpanFactory<Processor> {
    SpanFactory(
        resource: Resource.defaultResource(serviceName: "bench", hostName: "bench"), sampler: .parentBasedAlwaysOn,
        processor: processor, endBatchCapacity: endBatchCapacity)
}

/// The measured loop of every span benchmark: start a server span under a remote parent, set `attributes`, end it
/// (then hand over what a batching factory still holds). With `loopClock` the start and end readings are supplied,
/// as the gateway's event loop does, instead of read from the clock.
@inline(__always)
func runSpans<Processor: SpanProcessor>(
    _ factory: SpanFactory<Processor>, _ benchmark: Benchmark, loopClock: Bool,
    attributes: (inout RecordingSpan) -> Void
) {
    let parent = TraceContextPropagator.parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    var now = MonotonicClock.nowNanoseconds()
    for _ in benchmark.scaledIterations {
        var span = factory.startSpan("GET /users/{id}", kind: .server, parent: parent, at: loopClock ? now : nil)
        attributes(&span)
        if loopClock {
            now &+= 1_000
            factory.end(&span, at: now)
        } else {
            factory.end(&span)
        }
    }
    factory.flushEndedSpans()
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        timeUnits: .nanoseconds,
        warmupIterations: 100,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 1_000_000
    )

    let traceparent = Array("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".utf8)

    Benchmark("traceparent parse") { benchmark in
        traceparent.withUnsafeBytes { raw in
            for _ in benchmark.scaledIterations {
                blackHole(TraceContextPropagator.parseTraceparent(raw))
            }
        }
    }

    Benchmark("traceparent format") { benchmark in
        let context = SpanContext(
            traceID: TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736),
            spanID: SpanID(rawValue: 0x00f0_67aa_0ba9_02b7), traceFlags: .sampled
        )
        var buffer = [UInt8](repeating: 0, count: 64)
        buffer.withUnsafeMutableBytes { raw in
            for _ in benchmark.scaledIterations {
                blackHole(TraceContextPropagator.writeTraceparent(context, into: raw))
            }
        }
        blackHole(buffer)
    }

    Benchmark("sampler decision (parentbased_traceidratio 0.25)") { benchmark in
        let sampler = ConfiguredSampler.parentBasedTraceIDRatio(TraceIDRatioSampler(ratio: 0.25))
        var generator = IDGenerator(seed: 1)
        var ids: [TraceID] = []
        for _ in 0..<1024 { ids.append(generator.nextTraceID()) }
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(sampler.decide(parent: nil, traceID: ids[index & 1023]))
            index &+= 1
        }
    }

    // Processors and factories live across samples: the benchmark closure runs once per sample, and creating an
    // export thread there would be measured too.
    let lifecycleProcessor = BatchSpanProcessor(
        exporter: NoOpSpanExporter(),
        configuration: BatchSpanProcessorConfiguration(maxQueueSize: 2048, maxExportBatchSize: 512)
    )
    nonisolated(unsafe) let lifecycleFactory = benchmarkFactory(processor: lifecycleProcessor)
    Benchmark("span lifecycle: start, 15 attributes, end, enqueue") { benchmark in
        runSpans(lifecycleFactory, benchmark, loopClock: false, attributes: setHTTPAttributes)
    } teardown: {
        print("lifecycle so far: exported \(lifecycleProcessor.exportedCount), dropped \(lifecycleProcessor.droppedCount)")
    }

    Benchmark("span lifecycle, unique-key attributes: start, 15 attributes, end, enqueue") { benchmark in
        runSpans(lifecycleFactory, benchmark, loopClock: false, attributes: setHTTPAttributesUnique)
    }

    // The gateway reuses one clock reading for the client span's start (the attempt's start) and for both spans'
    // ends; this variant shows the lifecycle without its two clock reads (about 25-50 ns each on this VM).
    Benchmark("span lifecycle, unique-key attributes, caller-supplied clock readings") { benchmark in
        runSpans(lifecycleFactory, benchmark, loopClock: true, attributes: setHTTPAttributesUnique)
    }

    // The gateway's configuration: ended spans handed to the queue 64 at a time (one lock per batch; the worker
    // flushes the rest at the end of each loop pass), records recycled by the export thread, unique keys, and clock
    // readings the event loop already took.
    let gatewayProcessor = BatchSpanProcessor(
        exporter: NoOpSpanExporter(),
        configuration: BatchSpanProcessorConfiguration(maxQueueSize: 2048, maxExportBatchSize: 512)
    )
    nonisolated(unsafe) let gatewayFactory = benchmarkFactory(processor: gatewayProcessor, endBatchCapacity: 64)
    Benchmark("span lifecycle as the gateway runs it: batched end, unique keys, loop clock") { benchmark in
        runSpans(gatewayFactory, benchmark, loopClock: true, attributes: setHTTPAttributesUnique)
    } teardown: {
        print("gateway lifecycle so far: exported \(gatewayProcessor.exportedCount), dropped \(gatewayProcessor.droppedCount)")
    }

    Benchmark("span lifecycle, batched end, reading the clock") { benchmark in
        runSpans(gatewayFactory, benchmark, loopClock: false, attributes: setHTTPAttributesUnique)
    }

    // `--exporter none`: spans are recorded in full, then dropped; the factory reuses the record at once.
    nonisolated(unsafe) let droppingFactory = benchmarkFactory(processor: MultiSpanProcessor([]))
    Benchmark("span record, no exporter: start, 15 attributes, end, loop clock") { benchmark in
        runSpans(droppingFactory, benchmark, loopClock: true, attributes: setHTTPAttributesUnique)
    }

    Benchmark("span start and end only (no-op processor)") { benchmark in
        runSpans(benchmarkFactory(processor: NoOpSpanProcessor()), benchmark, loopClock: false) { _ in }
    }

    Benchmark("span with 15 attributes (no-op processor)") { benchmark in
        runSpans(benchmarkFactory(processor: NoOpSpanProcessor()), benchmark, loopClock: false, attributes: setHTTPAttributes)
    }

    Benchmark("span with 15 unique-key attributes (no-op processor)") { benchmark in
        runSpans(
            benchmarkFactory(processor: NoOpSpanProcessor()), benchmark, loopClock: false,
            attributes: setHTTPAttributesUnique)
    }
}
