/// The data of one recording span, shared by its live form (`RecordingSpan`) and its ended form (`FinishedSpan`).
///
/// One heap object per recorded span: the live span mutates it in place while it is the only owner, and `end` hands
/// the very same object to the processors. So ending a span copies no field, a processor queue moves one pointer per
/// span, and releasing a finished span is one release. Never mutated after the span ended, which is what makes
/// sharing it across threads safe (`@unchecked Sendable`).
@usableFromInline
final class SpanRecord: @unchecked Sendable {
    // Swift lays out a class's stored properties in declaration order: what a recycled record's reuse and an encoder
    // touch comes first, in the four cache lines `SpanRecord.prefetchedRecordLines` covers (the owner check of reuse
    // used to miss on the sixth); `limits` and `scope`, written only when another factory reuses the record, come last.
    @usableFromInline var name: String
    @usableFromInline var kind: SpanKind
    /// Whether `attributes`' storage may be referenced outside this record (a caller's list, or one read through
    /// `RecordingSpan.attributes`); while false, appends skip the copy-on-write check.
    @usableFromInline var attributesMayBeShared = true
    /// The factory whose `limits` and `scope` this record holds (0: unknown), so a record reused by the same
    /// factory skips reassigning them.
    @usableFromInline var limitsAndScopeOwner: UInt64 = 0
    @usableFromInline var context: SpanContext
    @usableFromInline var parentSpanID: SpanID?
    @usableFromInline var startTimeUnixNano: UInt64
    @usableFromInline var endTimeUnixNano: UInt64
    @usableFromInline var startMonotonicNanoseconds: UInt64
    @usableFromInline var attributes: SpanAttributeList
    @usableFromInline var status: SpanStatus
    @usableFromInline var events: [SpanEvent]
    @usableFromInline var droppedEventsCount: Int
    @usableFromInline var links: [SpanLink]
    @usableFromInline var droppedLinksCount: Int
    @usableFromInline var limits: SpanLimits
    @usableFromInline var scope: InstrumentationScope

    @usableFromInline
    init(
        name: String, kind: SpanKind, context: SpanContext, parentSpanID: SpanID?, startTimeUnixNano: UInt64,
        startMonotonicNanoseconds: UInt64, endTimeUnixNano: UInt64, attributes: consuming SpanAttributeList,
        events: [SpanEvent], droppedEventsCount: Int, links: [SpanLink], droppedLinksCount: Int, status: SpanStatus,
        limits: SpanLimits, scope: InstrumentationScope
    ) {
        self.name = name
        self.kind = kind
        self.context = context
        self.parentSpanID = parentSpanID
        self.startTimeUnixNano = startTimeUnixNano
        self.startMonotonicNanoseconds = startMonotonicNanoseconds
        self.endTimeUnixNano = endTimeUnixNano
        self.attributes = attributes
        self.events = events
        self.droppedEventsCount = droppedEventsCount
        self.links = links
        self.droppedLinksCount = droppedLinksCount
        self.status = status
        self.limits = limits
        self.scope = scope
    }

    /// A copy (for a `FinishedSpan` mutated while shared: copy-on-write).
    @usableFromInline
    func copy() -> SpanRecord {
        SpanRecord(
            name: name, kind: kind, context: context, parentSpanID: parentSpanID, startTimeUnixNano: startTimeUnixNano,
            startMonotonicNanoseconds: startMonotonicNanoseconds, endTimeUnixNano: endTimeUnixNano,
            attributes: attributes, events: events, droppedEventsCount: droppedEventsCount, links: links,
            droppedLinksCount: droppedLinksCount, status: status, limits: limits, scope: scope)
    }

    /// Bytes held by the attribute storage (entries and arena), 0 without storage.
    var attributeBytes: Int {
        guard let header = attributes.pointers?.header.pointee else { return 0 }
        return header.entryCapacity &* MemoryLayout<AttributeEntry>.stride &+ header.arenaCapacity
    }

    /// Lets go of what a waiting record should not keep alive (events and links); everything else is overwritten by
    /// `reuse`, which also empties the attributes.
    func clearForReuse() {
        if !events.isEmpty { events = [] }
        if !links.isEmpty { links = [] }
    }

    /// Makes a recycled record the record of a new span.
    @usableFromInline
    func reuse(
        name: String, kind: SpanKind, context: SpanContext, parentSpanID: SpanID?, startTimeUnixNano: UInt64,
        startMonotonicNanoseconds: UInt64, attributeLimits: AttributeLimits, attributeCapacity: Int, links: [SpanLink], droppedLinksCount: Int,
        limits: SpanLimits, scope: InstrumentationScope, owner: UInt64
    ) {
        self.name = name
        self.kind = kind
        self.context = context
        self.parentSpanID = parentSpanID
        self.startTimeUnixNano = startTimeUnixNano
        self.startMonotonicNanoseconds = startMonotonicNanoseconds
        self.endTimeUnixNano = startTimeUnixNano
        if limitsAndScopeOwner != owner {
            self.limits = limits
            self.scope = scope
            limitsAndScopeOwner = owner
        }
        attributes.reset(limits: attributeLimits, reservedCapacity: attributeCapacity)
        attributesMayBeShared = false  // `reset` left the storage unique (or none)
        if !links.isEmpty || !self.links.isEmpty { self.links = links }
        self.droppedLinksCount = droppedLinksCount
        droppedEventsCount = 0  // `clearForReuse` already emptied `events`
        status = .unset
    }
}
