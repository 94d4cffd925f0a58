/// A live span owned by the one thread handling its request: collects attributes, events, links and status until
/// `end` turns it into a `FinishedSpan` (OpenTelemetry Trace API §Span, SDK §Span).
///
/// It is a `~Copyable` struct rather than a class: the gateway stores it inline in its per-request exchange, so
/// starting a span costs no object allocation or reference counting, and non-copyability guarantees the span has a
/// single owner (no lock, no registry of live spans). A span whose sampling decision was `drop` is non-recording:
/// every mutator is a no-op, but `context` is still valid so it can be propagated to the backend.
public struct RecordingSpan: ~Copyable {
    /// This span's context; valid even when not recording.
    public let context: SpanContext
    /// Whether the span records data (sampling decision was not `drop`).
    public let isRecording: Bool
    /// The span kind.
    public let kind: SpanKind
    /// The parent span id, nil for a root span.
    public let parentSpanID: SpanID?
    /// Start time, nanoseconds since the Unix epoch.
    public let startTimeUnixNano: UInt64
    /// Monotonic clock reading at start; the end time is `startTimeUnixNano` plus the monotonic duration.
    public let startMonotonicNanoseconds: UInt64
    /// The span name; may be replaced once the route is known.
    public private(set) var name: String
    /// The attributes set so far.
    public var attributes: SpanAttributeList { attributeList }
    /// Backing store of `attributes`, mutated in place by the inlinable setters.
    @usableFromInline var attributeList: SpanAttributeList
    /// The events added so far.
    public private(set) var events: [SpanEvent]
    /// Events dropped because of `limits.eventCountLimit`.
    public private(set) var droppedEventsCount: Int
    /// The links added so far.
    public private(set) var links: [SpanLink]
    /// Links dropped because of `limits.linkCountLimit`.
    public private(set) var droppedLinksCount: Int
    /// The current status.
    public private(set) var status: SpanStatus
    /// Whether `end` has been called.
    public private(set) var isEnded: Bool
    /// The limits applied by the mutators.
    public let limits: SpanLimits
    /// The scope recorded on the finished span.
    public let scope: InstrumentationScope

    /// Creates a span; normally called by `SpanFactory.startSpan`.
    ///
    /// `links` beyond `limits.linkCountLimit` are dropped and counted.
    public init(
        name: String,
        kind: SpanKind,
        context: SpanContext,
        parentSpanID: SpanID?,
        isRecording: Bool,
        startTimeUnixNano: UInt64,
        startMonotonicNanoseconds: UInt64,
        attributes: consuming SpanAttributeList,
        links: [SpanLink] = [],
        limits: SpanLimits = .default,
        scope: InstrumentationScope
    ) {
        self.name = name
        self.kind = kind
        self.context = context
        self.parentSpanID = parentSpanID
        self.isRecording = isRecording
        self.startTimeUnixNano = startTimeUnixNano
        self.startMonotonicNanoseconds = startMonotonicNanoseconds
        self.attributeList = attributes
        self.events = []
        self.droppedEventsCount = 0
        if links.count > limits.linkCountLimit {
            self.links = Array(links.prefix(limits.linkCountLimit))
            self.droppedLinksCount = links.count - limits.linkCountLimit
        } else {
            self.links = links
            self.droppedLinksCount = 0
        }
        self.status = .unset
        self.isEnded = false
        self.limits = limits
        self.scope = scope
    }

    /// A non-recording span that only carries `context` (e.g. tracing disabled, but the context must be passed on).
    public static func nonRecording(context: SpanContext, kind: SpanKind = .server) -> RecordingSpan {
        RecordingSpan(
            name: "", kind: kind, context: context, parentSpanID: nil, isRecording: false, startTimeUnixNano: 0,
            startMonotonicNanoseconds: 0, attributes: SpanAttributeList(limits: .default, reservedCapacity: 0),
            scope: InstrumentationScope(name: "")
        )
    }

    /// Whether mutators still apply (recording and not yet ended).
    @inlinable
    public var isActive: Bool { isRecording && !isEnded }

    /// Replaces the span name (§UpdateName), e.g. with `{method} {route}` once routing is done.
    public mutating func updateName(_ newName: String) {
        guard isActive else { return }
        name = newName
    }

    /// Sets one attribute; an existing key is replaced (§Set Attributes).
    @inlinable
    public mutating func setAttribute(_ key: AttributeKey, _ value: consuming AttributeValue) {
        guard isActive else { return }
        attributeList.set(key, value)
    }

    /// Sets one attribute under a run-time key (its bytes are copied); an existing key is replaced.
    @inlinable
    public mutating func setAttribute(_ key: String, _ value: consuming AttributeValue) {
        guard isActive else { return }
        attributeList.set(key, value)
    }

    /// Sets a string attribute from its UTF-8 bytes (copied once; no `String` is built).
    @inlinable
    public mutating func setAttribute(_ key: AttributeKey, utf8: UnsafeRawBufferPointer) {
        guard isActive else { return }
        attributeList.set(key, utf8: utf8)
    }

    /// Sets an attribute whose key has not been set on this span, skipping the duplicate-key scan
    /// (see `SpanAttributeList.append(uniqueKey:_:)`; a repeated key asserts in debug builds).
    @inlinable
    public mutating func setAttribute(uniqueKey key: AttributeKey, _ value: consuming AttributeValue) {
        guard isActive else { return }
        attributeList.append(uniqueKey: key, value)
    }

    /// Sets an attribute under a run-time key that has not been set on this span.
    @inlinable
    public mutating func setAttribute(uniqueKey key: String, _ value: consuming AttributeValue) {
        guard isActive else { return }
        attributeList.append(uniqueKey: key, value)
    }

    /// Sets a string attribute from UTF-8 bytes under a key that has not been set on this span.
    @inlinable
    public mutating func setAttribute(uniqueKey key: AttributeKey, utf8: UnsafeRawBufferPointer) {
        guard isActive else { return }
        attributeList.append(uniqueKey: key, utf8: utf8)
    }

    /// Adds an event at `timeUnixNano` (default: now, derived from the monotonic clock) (§Add Events).
    public mutating func addEvent(_ name: String, attributes: SpanAttributeList? = nil, timeUnixNano: UInt64? = nil) {
        guard isActive else { return }
        guard events.count < limits.eventCountLimit else {
            droppedEventsCount += 1
            return
        }
        let time = timeUnixNano ?? wallTime(atMonotonic: MonotonicClock.nowNanoseconds())
        var eventAttributes = SpanAttributeList(
            limits: AttributeLimits(
                countLimit: limits.attributePerEventCountLimit,
                valueLengthLimit: limits.attributes.valueLengthLimit
            ),
            reservedCapacity: attributes?.count ?? 0
        )
        if let attributes {
            for attribute in attributes { eventAttributes.set(attribute.key, attribute.value) }
        }
        events.append(SpanEvent(name: name, timeUnixNano: time, attributes: eventAttributes))
    }

    /// Adds a link after start (§Link; allowed since Trace API 1.23).
    public mutating func addLink(_ link: SpanLink) {
        guard isActive else { return }
        guard links.count < limits.linkCountLimit else {
            droppedLinksCount += 1
            return
        }
        links.append(link)
    }

    /// Sets the status following §Set Status: `unset` is ignored, and once `ok` is set the status is final.
    public mutating func setStatus(_ newStatus: SpanStatus) {
        guard isActive else { return }
        if case .unset = newStatus { return }
        if case .ok = status { return }
        status = newStatus
    }

    /// Records an error as an `exception` event with `exception.type` and `exception.message`
    /// (semconv exceptions; §Record Exception). It does not change the status; call `setStatus(.error…)` for that.
    public mutating func recordError(type: String, message: String, timeUnixNano: UInt64? = nil) {
        guard isActive else { return }
        var attributes = SpanAttributeList(limits: .default, reservedCapacity: 2)
        attributes.set(SemanticAttributes.exceptionType, .string(type))
        attributes.set(SemanticAttributes.exceptionMessage, .string(message))
        addEvent(SemanticAttributes.exceptionEventName, attributes: attributes, timeUnixNano: timeUnixNano)
    }

    /// Ends the span at a monotonic clock reading and returns its finished form; nil if not recording or already
    /// ended (ending twice is a no-op, §End).
    ///
    /// The end time is `startTimeUnixNano + (endMonotonic - startMonotonicNanoseconds)` (clamped at zero duration).
    /// The caller hands the result to a processor; `SpanFactory.end(_:at:)` does both.
    public mutating func end(at endMonotonicNanoseconds: UInt64 = MonotonicClock.nowNanoseconds()) -> FinishedSpan? {
        guard isRecording, !isEnded else { return nil }
        isEnded = true
        var movedAttributes = SpanAttributeList(limits: attributes.limits, reservedCapacity: 0)
        swap(&movedAttributes, &attributeList)
        var movedEvents: [SpanEvent] = []
        swap(&movedEvents, &events)
        var movedLinks: [SpanLink] = []
        swap(&movedLinks, &links)
        return FinishedSpan(
            name: name,
            kind: kind,
            context: context,
            parentSpanID: parentSpanID,
            startTimeUnixNano: startTimeUnixNano,
            endTimeUnixNano: wallTime(atMonotonic: endMonotonicNanoseconds),
            attributes: movedAttributes,
            events: movedEvents,
            droppedEventsCount: droppedEventsCount,
            links: movedLinks,
            droppedLinksCount: droppedLinksCount,
            status: status,
            scope: scope
        )
    }

    /// The wall time matching a monotonic reading taken during this span.
    @inlinable
    func wallTime(atMonotonic monotonic: UInt64) -> UInt64 {
        monotonic > startMonotonicNanoseconds
            ? startTimeUnixNano &+ (monotonic &- startMonotonicNanoseconds) : startTimeUnixNano
    }
}
