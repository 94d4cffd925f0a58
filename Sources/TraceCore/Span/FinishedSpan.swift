/// An ended, immutable span: the only span type processors and exporters see.
///
/// OpenTelemetry SDK §ReadableSpan. Times are wall-clock nanoseconds since the Unix epoch; the end time is the
/// start wall time plus a monotonic duration, so clock steps during a request cannot make a span negative.
///
/// One reference to the `SpanRecord` its `RecordingSpan` filled: copying or queueing a finished span moves a pointer.
public struct FinishedSpan: Sendable, Equatable {
    @usableFromInline var record: SpanRecord

    /// Wraps the record of a span that has just ended (`RecordingSpan.end`).
    @inlinable
    init(record: SpanRecord) {
        self.record = record
    }

    /// The span name, e.g. `GET /users/{id}`.
    @inlinable public var name: String {
        get { record.name }
        set { uniqueRecord().name = newValue }
    }
    /// The span kind.
    @inlinable public var kind: SpanKind {
        get { record.kind }
        set { uniqueRecord().kind = newValue }
    }
    /// This span's context (trace id, span id, flags, trace state).
    @inlinable public var context: SpanContext {
        get { record.context }
        set { uniqueRecord().context = newValue }
    }
    /// The parent span id, nil for a root span.
    @inlinable public var parentSpanID: SpanID? {
        get { record.parentSpanID }
        set { uniqueRecord().parentSpanID = newValue }
    }
    /// Start time, nanoseconds since the Unix epoch.
    @inlinable public var startTimeUnixNano: UInt64 {
        get { record.startTimeUnixNano }
        set { uniqueRecord().startTimeUnixNano = newValue }
    }
    /// End time, nanoseconds since the Unix epoch (≥ start).
    @inlinable public var endTimeUnixNano: UInt64 {
        get { record.endTimeUnixNano }
        set { uniqueRecord().endTimeUnixNano = newValue }
    }
    /// The span attributes, with their dropped count.
    @inlinable public var attributes: SpanAttributeList {
        get { record.attributes }
        set { uniqueRecord().attributes = newValue }
    }
    /// The span events, in the order they were added.
    @inlinable public var events: [SpanEvent] {
        get { record.events }
        set { uniqueRecord().events = newValue }
    }
    /// Events dropped because of the event count limit.
    @inlinable public var droppedEventsCount: Int {
        get { record.droppedEventsCount }
        set { uniqueRecord().droppedEventsCount = newValue }
    }
    /// Links to other spans.
    @inlinable public var links: [SpanLink] {
        get { record.links }
        set { uniqueRecord().links = newValue }
    }
    /// Links dropped because of the link count limit.
    @inlinable public var droppedLinksCount: Int {
        get { record.droppedLinksCount }
        set { uniqueRecord().droppedLinksCount = newValue }
    }
    /// The final status.
    @inlinable public var status: SpanStatus {
        get { record.status }
        set { uniqueRecord().status = newValue }
    }
    /// The instrumentation scope that produced the span.
    @inlinable public var scope: InstrumentationScope {
        get { record.scope }
        set { uniqueRecord().scope = newValue }
    }

    /// Calls `body` with each attribute read in place, as `attributes.forEachView` does, without copying the list
    /// (an encoder's loop: no reference counting per span for the attribute storage).
    @inlinable @inline(__always)
    public func forEachAttributeView(
        _ body: (_ key: UnsafeRawBufferPointer, _ value: AttributeValueView) throws -> Void
    ) rethrows {
        try SpanAttributeList.forEachView(
            record.attributes.pointers, materializing: { record.attributes.materializedValue($0) }, body)
    }

    /// Whether the span has events or links (an encoder's check before walking either, without copying the arrays).
    @inlinable
    public var hasEventsOrLinks: Bool { !record.events.isEmpty || !record.links.isEmpty }

    /// `attributes.sizeSummary`, without copying the list.
    @inlinable
    public var attributeSizeSummary: (count: Int, keyBytes: Int, arenaBytes: Int) { record.attributes.sizeSummary }

    /// How many attributes were dropped, as `attributes.droppedCount` (without copying the list).
    @inlinable
    public var droppedAttributesCount: Int { record.attributes.droppedCount }

    /// The record, copied first if another `FinishedSpan` shares it (mutating a finished span is for tests and
    /// fixtures; processors never do).
    @inlinable
    mutating func uniqueRecord() -> SpanRecord {
        if !isKnownUniquelyReferenced(&record) { record = record.copy() }
        record.limitsAndScopeOwner = 0  // a field may change: a later reuse must set limits and scope again
        return record
    }

    /// Creates a finished span from its parts; used by tests and encoders building fixtures (spans the SDK records
    /// come from `RecordingSpan.end`).
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
        record = SpanRecord(
            name: name, kind: kind, context: context, parentSpanID: parentSpanID, startTimeUnixNano: startTimeUnixNano,
            startMonotonicNanoseconds: 0, endTimeUnixNano: endTimeUnixNano, attributes: attributes, events: events,
            droppedEventsCount: droppedEventsCount, links: links, droppedLinksCount: droppedLinksCount, status: status,
            limits: .default, scope: scope)
    }

    /// Spans are equal when every field is.
    public static func == (lhs: FinishedSpan, rhs: FinishedSpan) -> Bool {
        if lhs.record === rhs.record { return true }
        return lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.context == rhs.context
            && lhs.parentSpanID == rhs.parentSpanID && lhs.startTimeUnixNano == rhs.startTimeUnixNano
            && lhs.endTimeUnixNano == rhs.endTimeUnixNano && lhs.attributes == rhs.attributes
            && lhs.events == rhs.events && lhs.droppedEventsCount == rhs.droppedEventsCount && lhs.links == rhs.links
            && lhs.droppedLinksCount == rhs.droppedLinksCount && lhs.status == rhs.status && lhs.scope == rhs.scope
    }
}
