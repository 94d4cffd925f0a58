/// A live span owned by the one thread handling its request: collects attributes, events, links and status until
/// `end` turns it into a `FinishedSpan` (OpenTelemetry Trace API §Span, SDK §Span).
///
/// A small `~Copyable` struct (the context plus one `SpanRecord` reference): the gateway stores it inline in its
/// per-request exchange, non-copyability guarantees the span has a single owner (no lock, no registry of live
/// spans, the record is mutated in place), and `end` passes the record on without copying a field. A span whose
/// sampling decision was `drop` is non-recording: it allocates nothing, every mutator is a no-op, but `context` is
/// still valid so it can be propagated to the backend.
public struct RecordingSpan: ~Copyable {
    /// This span's context; valid even when not recording.
    public let context: SpanContext
    /// Whether the span records data (sampling decision was not `drop`).
    public let isRecording: Bool
    /// The span kind.
    public let kind: SpanKind
    /// Whether `end` has been called.
    public private(set) var isEnded: Bool
    /// The recorded data; nil for a non-recording span and after `end`, which hands it to the `FinishedSpan`
    /// (so a recycled record is referenced by nothing else once exported).
    ///
    /// Held as an `Unmanaged` reference this span releases itself (in `end` or `deinit`), so the hot setters reach
    /// the record through `_withUnsafeGuaranteedRef` without a retain/release pair per call.
    @usableFromInline private(set) var recordReference: Unmanaged<SpanRecord>?

    /// The record, retained (for the getters; setters borrow it through `recordReference`).
    @usableFromInline var record: SpanRecord? { recordReference?.takeUnretainedValue() }

    /// The parent span id, nil for a root span.
    public var parentSpanID: SpanID? { record?.parentSpanID }
    /// Start time, nanoseconds since the Unix epoch (0 when not recording).
    public var startTimeUnixNano: UInt64 { record?.startTimeUnixNano ?? 0 }
    /// Monotonic clock reading at start; the end time is `startTimeUnixNano` plus the monotonic duration.
    public var startMonotonicNanoseconds: UInt64 { record?.startMonotonicNanoseconds ?? 0 }
    /// The span name; may be replaced once the route is known.
    public var name: String { record?.name ?? "" }
    /// The attributes set so far.
    public var attributes: SpanAttributeList {
        guard let record else { return SpanAttributeList(reservedCapacity: 0) }
        record.attributesMayBeShared = true  // the caller now shares the storage: appends check again
        return record.attributes
    }
    /// The events added so far.
    public var events: [SpanEvent] { record?.events ?? [] }
    /// Events dropped because of `limits.eventCountLimit`.
    public var droppedEventsCount: Int { record?.droppedEventsCount ?? 0 }
    /// The links added so far.
    public var links: [SpanLink] { record?.links ?? [] }
    /// Links dropped because of `limits.linkCountLimit`.
    public var droppedLinksCount: Int { record?.droppedLinksCount ?? 0 }
    /// The current status.
    public var status: SpanStatus { record?.status ?? .unset }
    /// The limits applied by the mutators.
    public var limits: SpanLimits { record?.limits ?? .default }
    /// The scope recorded on the finished span.
    public var scope: InstrumentationScope { record?.scope ?? InstrumentationScope(name: "") }

    /// Creates a span; normally called by `SpanFactory.startSpan`.
    ///
    /// `links` beyond `limits.linkCountLimit` are dropped and counted. A non-recording span allocates nothing.
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
        self.kind = kind
        self.context = context
        self.isRecording = isRecording
        self.isEnded = false
        guard isRecording else {
            recordReference = nil
            return
        }
        let keptLinks: [SpanLink]
        let droppedLinks: Int
        if links.count > limits.linkCountLimit {
            keptLinks = Array(links.prefix(limits.linkCountLimit))
            droppedLinks = links.count - limits.linkCountLimit
        } else {
            keptLinks = links
            droppedLinks = 0
        }
        recordReference = Unmanaged.passRetained(SpanRecord(
            name: name, kind: kind, context: context, parentSpanID: parentSpanID,
            startTimeUnixNano: startTimeUnixNano, startMonotonicNanoseconds: startMonotonicNanoseconds,
            endTimeUnixNano: startTimeUnixNano, attributes: attributes, events: [], droppedEventsCount: 0,
            links: keptLinks, droppedLinksCount: droppedLinks, status: .unset, limits: limits, scope: scope))
    }

    /// A recording span over `record` (already filled for this span; see `SpanFactory.startSpan`).
    init(context: SpanContext, kind: SpanKind, record: SpanRecord) {
        self.context = context
        self.kind = kind
        self.isRecording = true
        self.isEnded = false
        self.recordReference = Unmanaged.passRetained(record)
    }

    deinit {
        recordReference?.release()
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
        guard isActive, let record else { return }
        record.name = newName
    }

    /// Sets one attribute; an existing key is replaced (§Set Attributes).
    ///
    /// A literal key not set yet (the common case) takes the unique-key append path after one scan of the keys.
    @inlinable
    public mutating func setAttribute(_ key: AttributeKey, _ value: consuming AttributeValue) {
        if isNewLiteralKey(key) { return setAttribute(uniqueKey: key, value) }
        storeAttribute(key, value)
    }

    /// Sets a string attribute; an existing key is replaced. No `AttributeValue` is built on the fast path.
    @inlinable
    public mutating func setAttribute(_ key: AttributeKey, _ value: String) {
        if isNewLiteralKey(key) { return setAttribute(uniqueKey: key, value) }
        storeAttribute(key, .string(value))
    }

    /// Sets an integer attribute; an existing key is replaced. No `AttributeValue` is built on the fast path.
    @inlinable
    public mutating func setAttribute(_ key: AttributeKey, _ value: Int) {
        if isNewLiteralKey(key) { return setAttribute(uniqueKey: key, Int64(value)) }
        storeAttribute(key, .int(Int64(value)))
    }

    /// Whether `key` is a literal key this active span does not hold yet, so `set` may append without replacing.
    @inlinable
    func isNewLiteralKey(_ key: AttributeKey) -> Bool {
        guard isActive, let literal = key.literalBytes, let reference = recordReference else { return false }
        return reference._withUnsafeGuaranteedRef { !$0.attributes.containsKey(literal: literal) }
    }

    /// The general path of `set`: replaces the value of an existing key, else appends (run-time keys, replacements).
    @inlinable
    mutating func storeAttribute(_ key: AttributeKey, _ value: consuming AttributeValue) {
        guard isActive, let reference = recordReference else { return }
        reference._withUnsafeGuaranteedRef { $0.attributes.set(key, copy value) }
    }

    /// Sets one attribute under a run-time key (its bytes are copied); an existing key is replaced.
    @inlinable
    public mutating func setAttribute(_ key: String, _ value: consuming AttributeValue) {
        guard isActive, let reference = recordReference else { return }
        reference._withUnsafeGuaranteedRef { $0.attributes.set(key, copy value) }
    }

    /// Sets a string attribute under a run-time key; an existing key is replaced.
    @inlinable
    public mutating func setAttribute(_ key: String, _ value: String) {
        setAttribute(key, .string(value))
    }

    /// Sets an integer attribute under a run-time key; an existing key is replaced.
    @inlinable
    public mutating func setAttribute(_ key: String, _ value: Int) {
        setAttribute(key, .int(Int64(value)))
    }

    /// Sets a string attribute from its UTF-8 bytes (copied once; no `String` is built).
    @inlinable
    public mutating func setAttribute(_ key: AttributeKey, utf8: UnsafeRawBufferPointer) {
        guard isActive, let reference = recordReference else { return }
        reference._withUnsafeGuaranteedRef { $0.attributes.set(key, utf8: utf8) }
    }

    /// Sets an attribute whose key has not been set on this span, skipping the duplicate-key scan
    /// (see `SpanAttributeList.append(uniqueKey:_:)`; a repeated key asserts in debug builds).
    @inlinable @inline(__always)
    public mutating func setAttribute(uniqueKey key: AttributeKey, _ value: consuming AttributeValue) {
        guard isActive, let reference = recordReference else { return }
        reference._withUnsafeGuaranteedRef { record in
            record.attributes.append(uniqueKey: key, copy value, storageIsUnique: !record.attributesMayBeShared)
        }
    }

    /// Sets an integer attribute under a key not set on this span yet, without building an `AttributeValue`.
    @inlinable @inline(__always)
    public mutating func setAttribute(uniqueKey key: AttributeKey, _ value: Int64) {
        guard isActive, let reference = recordReference else { return }
        reference._withUnsafeGuaranteedRef { record in
            record.attributes.append(uniqueKey: key, int: value, storageIsUnique: !record.attributesMayBeShared)
        }
    }

    /// Sets an integer attribute under a key not set on this span yet (stored as a 64-bit integer).
    @inlinable @inline(__always)
    public mutating func setAttribute(uniqueKey key: AttributeKey, _ value: Int) {
        setAttribute(uniqueKey: key, Int64(value))
    }

    /// Sets a string attribute under a key not set on this span yet; its UTF-8 bytes are copied into the span
    /// without building an `AttributeValue`.
    @inlinable @inline(__always)
    public mutating func setAttribute(uniqueKey key: AttributeKey, _ value: String) {
        guard isActive, let reference = recordReference else { return }
        reference._withUnsafeGuaranteedRef { record in
            let unique = !record.attributesMayBeShared
            let done: Bool? = value.utf8.withContiguousStorageIfAvailable {
                record.attributes.append(uniqueKey: key, utf8: UnsafeRawBufferPointer($0), storageIsUnique: unique)
                return true
            }
            if done == nil { record.attributes.append(uniqueKey: key, .string(value), storageIsUnique: unique) }
        }
    }

    /// Sets an attribute under a run-time key that has not been set on this span.
    @inlinable
    public mutating func setAttribute(uniqueKey key: String, _ value: consuming AttributeValue) {
        guard isActive, let reference = recordReference else { return }
        reference._withUnsafeGuaranteedRef { $0.attributes.append(uniqueKey: key, copy value) }
    }

    /// Sets a string attribute under a run-time key that has not been set on this span.
    @inlinable
    public mutating func setAttribute(uniqueKey key: String, _ value: String) {
        setAttribute(uniqueKey: key, .string(value))
    }

    /// Sets an integer attribute under a run-time key that has not been set on this span.
    @inlinable
    public mutating func setAttribute(uniqueKey key: String, _ value: Int) {
        setAttribute(uniqueKey: key, .int(Int64(value)))
    }

    /// Sets a string attribute from UTF-8 bytes under a key that has not been set on this span.
    @inlinable @inline(__always)
    public mutating func setAttribute(uniqueKey key: AttributeKey, utf8: UnsafeRawBufferPointer) {
        guard isActive, let reference = recordReference else { return }
        reference._withUnsafeGuaranteedRef { record in
            record.attributes.append(uniqueKey: key, utf8: utf8, storageIsUnique: !record.attributesMayBeShared)
        }
    }

    /// Sets a string attribute whose UTF-8 bytes are `head` followed by `tail`, copied once (no joined temporary),
    /// under a key that has not been set on this span.
    @inlinable @inline(__always)
    public mutating func setAttribute(
        uniqueKey key: AttributeKey, utf8 head: UnsafeRawBufferPointer, followedBy tail: UnsafeRawBufferPointer
    ) {
        guard isActive, let reference = recordReference else { return }
        reference._withUnsafeGuaranteedRef { record in
            record.attributes.append(
                uniqueKey: key, utf8: head, followedBy: tail, storageIsUnique: !record.attributesMayBeShared)
        }
    }

    /// Adds an event at `timeUnixNano` (default: now, derived from the monotonic clock) (§Add Events).
    public mutating func addEvent(_ name: String, attributes: SpanAttributeList? = nil, timeUnixNano: UInt64? = nil) {
        guard isActive, let record else { return }
        let limits = record.limits
        guard record.events.count < limits.eventCountLimit else {
            record.droppedEventsCount += 1
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
        record.events.append(SpanEvent(name: name, timeUnixNano: time, attributes: eventAttributes))
    }

    /// Adds a link after start (§Link; allowed since Trace API 1.23).
    public mutating func addLink(_ link: SpanLink) {
        guard isActive, let record else { return }
        guard record.links.count < record.limits.linkCountLimit else {
            record.droppedLinksCount += 1
            return
        }
        record.links.append(link)
    }

    /// Sets the status following §Set Status: `unset` is ignored, and once `ok` is set the status is final.
    public mutating func setStatus(_ newStatus: SpanStatus) {
        guard isActive, let record else { return }
        if case .unset = newStatus { return }
        if case .ok = record.status { return }
        record.status = newStatus
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
        guard isRecording, !isEnded, let reference = recordReference else { return nil }
        isEnded = true
        let end = wallTime(atMonotonic: endMonotonicNanoseconds)
        recordReference = nil
        let record = reference.takeRetainedValue()  // this span's reference passes to the finished span
        record.endTimeUnixNano = end
        return FinishedSpan(record: record)
    }

    /// The wall time matching a monotonic reading taken during this span.
    @inlinable
    func wallTime(atMonotonic monotonic: UInt64) -> UInt64 {
        monotonic > startMonotonicNanoseconds
            ? startTimeUnixNano &+ (monotonic &- startMonotonicNanoseconds) : startTimeUnixNano
    }
}
