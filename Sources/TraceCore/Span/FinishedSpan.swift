/// An ended, immutable span: the only span type processors and exporters see.
///
/// OpenTelemetry SDK §ReadableSpan. Times are wall-clock nanoseconds since the Unix epoch; the end time is the
/// start wall time plus a monotonic duration, so clock steps during a request cannot make a span negative.
public struct FinishedSpan: Sendable, Equatable {
    /// The span name, e.g. `GET /users/{id}`.
    public var name: String
    /// The span kind.
    public var kind: SpanKind
    /// This span's context (trace id, span id, flags, trace state).
    public var context: SpanContext
    /// The parent span id, nil for a root span.
    public var parentSpanID: SpanID?
    /// Start time, nanoseconds since the Unix epoch.
    public var startTimeUnixNano: UInt64
    /// End time, nanoseconds since the Unix epoch (≥ start).
    public var endTimeUnixNano: UInt64
    /// The span attributes, with their dropped count.
    public var attributes: SpanAttributeList
    /// The span events, in the order they were added.
    public var events: [SpanEvent]
    /// Events dropped because of the event count limit.
    public var droppedEventsCount: Int
    /// Links to other spans.
    public var links: [SpanLink]
    /// Links dropped because of the link count limit.
    public var droppedLinksCount: Int
    /// The final status.
    public var status: SpanStatus
    /// The instrumentation scope that produced the span.
    public var scope: InstrumentationScope

    /// Creates a finished span; used by `RecordingSpan.end` and by tests and encoders building fixtures.
    public init(
        name: String,
        kind: SpanKind,
        context: SpanContext,
        parentSpanID: SpanID?,
        startTimeUnixNano: UInt64,
        endTimeUnixNano: UInt64,
        attributes: SpanAttributeList = SpanAttributeList(reservedCapacity: 0),
        events: [SpanEvent] = [],
        droppedEventsCount: Int = 0,
        links: [SpanLink] = [],
        droppedLinksCount: Int = 0,
        status: SpanStatus = .unset,
        scope: InstrumentationScope = InstrumentationScope(name: "tracegw")
    ) {
        self.name = name
        self.kind = kind
        self.context = context
        self.parentSpanID = parentSpanID
        self.startTimeUnixNano = startTimeUnixNano
        self.endTimeUnixNano = endTimeUnixNano
        self.attributes = attributes
        self.events = events
        self.droppedEventsCount = droppedEventsCount
        self.links = links
        self.droppedLinksCount = droppedLinksCount
        self.status = status
        self.scope = scope
    }
}
