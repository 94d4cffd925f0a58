import TraceCore

/// The spans and resource that `Fixtures/generate.py` builds with the official classes; keep the two in step.
enum SampleSpans {
    static let resource: Resource = {
        var attributes = SpanAttributeList(limits: .default)
        attributes.set("service.name", "tracegw")
        attributes.set("service.version", "1.2.3")
        attributes.set("host.name", "gw-01")
        attributes.set("deployment.environment.name", "prod")
        attributes.set("process.pid", .int(4242))
        return Resource(attributes: attributes)
    }()

    static let scope = InstrumentationScope(name: "tracegw", version: "0.1.0")

    /// The 15 attributes of a typical gateway SERVER span (see Gateway/Tracing/HTTPSpanAttributes.swift).
    static func serverAttributes() -> SpanAttributeList {
        var a = SpanAttributeList(limits: .default)
        a.set("http.request.method", "GET")
        a.set("url.path", "/api/v1/jobs/12345")
        a.set("url.query", "page=2&limit=50")
        a.set("url.scheme", "http")
        a.set("http.route", "/api/v1/jobs/{id}")
        a.set("server.address", "gateway.example.com")
        a.set("server.port", .int(8080))
        a.set("network.peer.address", "10.1.2.3")
        a.set("network.peer.port", .int(51234))
        a.set("client.address", "10.1.2.3")
        a.set("client.port", .int(51234))
        a.set("network.protocol.version", "1.1")
        a.set("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) curl/8.5.0")
        a.set("http.response.status_code", .int(200))
        a.set("http.response.body.size", .int(1834))
        return a
    }

    /// A typical gateway SERVER span: remote parent, sampled, 15 attributes, no events.
    static func server() -> FinishedSpan {
        FinishedSpan(
            name: "GET /api/v1/jobs/{id}",
            kind: .server,
            context: SpanContext(
                traceID: TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736),
                spanID: SpanID(rawValue: 0x00f0_67aa_0ba9_02b7), traceFlags: .sampled),
            parentSpanID: SpanID(rawValue: 0x1122_3344_5566_7788),
            startTimeUnixNano: 1_764_000_000_123_456_789,
            endTimeUnixNano: 1_764_000_000_125_000_001,
            attributes: serverAttributes(),
            scope: scope)
    }

    /// A CLIENT span using every field and every attribute type, with UTF-8, escapes and extreme integers.
    static func full() -> FinishedSpan {
        var a = SpanAttributeList(limits: AttributeLimits(countLimit: 18))
        a.set("http.request.method", "POST")
        a.set("server.address", "backend.internal")
        a.set("server.port", .int(9000))
        a.set("network.peer.address", "127.0.0.1")
        a.set("network.peer.port", .int(9001))
        a.set("s.empty", "")
        a.set("s.utf8", "héllo – 世界 🚀")
        a.set("s.escapes", "quote\" backslash\\ nl\n tab\t ctl\u{01}")
        a.set("b.true", true)
        a.set("b.false", false)
        a.set("i.zero", .int(0))
        a.set("i.negative", .int(-1))
        a.set("i.max", .int(Int64.max))
        a.set("i.min", .int(Int64.min))
        a.set("d.quarter", .double(0.25))
        a.set("d.negative", .double(-1.5))
        a.set("arr.strings", .stringArray(["a", "b\"c", "ü"]))
        a.set("arr.bools", .boolArray([true, false]))
        a.set("arr.ints", .intArray([1, -2, 300]))  // dropped: limit 18
        a.set("arr.doubles", .doubleArray([0.5, 2.0]))  // dropped
        var e1 = SpanAttributeList(limits: AttributeLimits(countLimit: 2))
        e1.set("exception.type", "Timeout")
        e1.set("exception.message", "upstream took > 5s")
        e1.set("exception.escaped", false)  // dropped
        let events = [
            SpanEvent(name: "exception", timeUnixNano: 1_764_000_000_200_000_999, attributes: e1),
            SpanEvent(name: "retry", timeUnixNano: 1_764_000_000_210_000_000),
        ]
        var l1 = SpanAttributeList(limits: AttributeLimits(countLimit: 1))
        l1.set("link.kind", "batch")
        l1.set("link.extra", .int(7))  // dropped
        let links = [
            SpanLink(
                context: SpanContext(
                    traceID: TraceID(high: 0xffff_ffff_ffff_ffff, low: 0x8000_0000_0000_0001),
                    spanID: SpanID(rawValue: 0xfedc_ba98_7654_3210), traceFlags: .sampled,
                    traceState: TraceState(members: [(key: "congo", value: "t61rcWkgMzE")]), isRemote: true),
                attributes: l1),
            SpanLink(context: SpanContext(traceID: TraceID(high: 1, low: 2), spanID: SpanID(rawValue: 3))),
        ]
        return FinishedSpan(
            name: "POST /upload ✓",
            kind: .client,
            context: SpanContext(
                traceID: TraceID(high: 0x8000_0000_0000_0000, low: 0xffff_ffff_ffff_ffff),
                spanID: SpanID(rawValue: 0x8877_6655_4433_2211), traceFlags: [.sampled, .random],
                traceState: TraceState(members: [(key: "vendor", value: "x=1"), (key: "rojo", value: "00f067aa0ba902b7")])),
            parentSpanID: SpanID(rawValue: 0x00f0_67aa_0ba9_02b7),
            startTimeUnixNano: 1_764_000_000_150_000_500,
            endTimeUnixNano: 1_764_000_000_250_999_999,
            attributes: a,
            events: events,
            droppedEventsCount: 3,
            links: links,
            droppedLinksCount: 300,
            status: .error(description: "backend timeout"),
            scope: scope)
    }

    /// A root INTERNAL span with OK status, no attributes and a scope without version.
    static func rootInternal() -> FinishedSpan {
        FinishedSpan(
            name: "",
            kind: .internal,
            context: SpanContext(traceID: TraceID(high: 0, low: 0x0102), spanID: SpanID(rawValue: 0x0a0b)),
            parentSpanID: nil,
            startTimeUnixNano: 1_000_000_000,
            endTimeUnixNano: 1_000_000_400,
            status: .ok,
            scope: InstrumentationScope(name: "other"))
    }

    /// A PRODUCER span whose single 20 000-byte attribute needs 3-byte protobuf lengths, with an error status
    /// without description.
    static func big() -> FinishedSpan {
        var a = SpanAttributeList(limits: .default)
        a.set("messaging.payload", .string(String(repeating: "0123456789", count: 2_000)))
        a.set("server.address", "10.9.8.7")
        a.set("server.port", .int(5672))
        a.set("peer.service", "queue")
        return FinishedSpan(
            name: "publish jobs",
            kind: .producer,
            context: SpanContext(
                traceID: TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736),
                spanID: SpanID(rawValue: 0x0000_0000_0000_0001), traceFlags: .sampled),
            parentSpanID: nil,
            startTimeUnixNano: 1_764_000_001_000_000_000,
            endTimeUnixNano: 1_764_000_002_000_000_000,
            attributes: a,
            status: .error(description: ""),
            scope: scope)
    }

    /// A CONSUMER span in the second scope, so the batch interleaves scopes (tracegw, other, tracegw, other).
    static func consumer() -> FinishedSpan {
        var a = SpanAttributeList(limits: .default)
        a.set("error", false)
        a.set("messaging.system", "rabbitmq")
        a.set("arr.ints", .intArray([1, -2, 300, Int64.min]))
        a.set("arr.doubles", .doubleArray([0.5, 2.0, -0.125]))
        a.set("arr.empty", .stringArray([]))
        return FinishedSpan(
            name: "process jobs",
            kind: .consumer,
            context: SpanContext(
                traceID: TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736),
                spanID: SpanID(rawValue: 0x0000_0000_0000_0002), traceFlags: .sampled),
            parentSpanID: SpanID(rawValue: 1),
            startTimeUnixNano: 1_764_000_002_000_000_000,
            endTimeUnixNano: 1_764_000_002_000_000_100,
            attributes: a,
            scope: InstrumentationScope(name: "other"))
    }

    /// The golden batch, in this order.
    static func batch() -> [FinishedSpan] {
        [server(), rootInternal(), full(), consumer(), big()]
    }
}
