import Synchronization

/// Starts spans for one thread and hands ended spans to a processor: the SDK's tracer provider, per worker.
///
/// OpenTelemetry SDK §Tracer Provider / §Sampling. It owns an `IDGenerator`, so it is not `Sendable`: each worker
/// thread creates its own factory over the shared processor. Dispatch is static: the sampler is the closed
/// `ConfiguredSampler` and the processor a generic parameter.
public final class SpanFactory<Processor: SpanProcessor> {
    /// The process resource (exporters also receive it at init; kept here for bridges that need it).
    public let resource: Resource
    /// The sampler applied to every new span.
    public let sampler: ConfiguredSampler
    /// Where sampled spans go when they end.
    public let processor: Processor
    /// Limits applied to every span.
    public let limits: SpanLimits
    /// The scope recorded on every span.
    public let scope: InstrumentationScope
    /// Id generator and clock calibration; allocated in `init`, freed in `deinit`, touched only by the owning
    /// thread (the factory is not `Sendable`). A pointer rather than stored `var`s: no dynamic exclusivity checks.
    private let state: UnsafeMutablePointer<SpanFactoryState>
    /// Where recycled span records come from (nil: every span allocates its record).
    public let recordPool: SpanRecordPool?
    /// Unique for the process's lifetime (unlike an object address), so a recycled record knows whose limits it has.
    private let factoryID = SpanFactoryIdentity.next()
    /// Whether the processor takes spans at all (`SpanProcessor.acceptsSpans`, read once).
    private let processorAcceptsSpans: Bool
    /// How often the wall/monotonic offset is re-read (1 s), so NTP slews reach span timestamps within a second.
    public static var calibrationInterval: UInt64 { 1_000_000_000 }

    /// Creates a factory for the calling thread.
    ///
    /// - Parameter recordPool: recycled span records to reuse (exporters' batch processors return them there).
    /// - Parameter endBatchCapacity: 1 (default) hands each ended span to the processor at once; N > 1 collects up
    ///   to N ended spans and hands them over together (`SpanProcessor.onEnd(batch:)`), one queue lock per batch. The
    ///   owner must then call `flushEndedSpans()` whenever it goes idle (a gateway worker does it at the end of each
    ///   event-loop pass), so no span waits longer than the owner's current burst of work.
    public init(
        resource: Resource,
        sampler: ConfiguredSampler,
        processor: Processor,
        limits: SpanLimits = .default,
        scope: InstrumentationScope = InstrumentationScope(name: "tracegw", version: Resource.sdkVersion),
        idGenerator: consuming IDGenerator = IDGenerator(),
        endBatchCapacity: Int = 1,
        recordPool: SpanRecordPool? = .shared
    ) {
        self.recordPool = recordPool
        self.processorAcceptsSpans = processor.acceptsSpans
        self.resource = resource
        self.sampler = sampler
        self.processor = processor
        self.limits = limits
        self.scope = scope
        state = .allocate(capacity: 1)
        state.initialize(to: SpanFactoryState(idGenerator: idGenerator, endBatchCapacity: endBatchCapacity))
        calibrate(monotonic: MonotonicClock.nowNanoseconds())
    }

    deinit {
        flushEndedSpans()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Re-reads the wall clock and records its offset from the monotonic clock.
    private func calibrate(monotonic: UInt64) {
        let wall = WallClock.nowUnixNano()
        state.pointee.wallOffset = Int64(bitPattern: wall) &- Int64(bitPattern: monotonic)
        state.pointee.calibratedAt = monotonic
    }

    /// The wall time for a monotonic reading, using the calibrated offset (one clock read per span, not two:
    /// `clock_gettime` costs about 50 ns on the benchmark VM).
    @inline(__always)
    private func wallTime(atMonotonic monotonic: UInt64) -> UInt64 {
        let calibratedAt = state.pointee.calibratedAt
        if monotonic &- calibratedAt > Self.calibrationInterval && monotonic > calibratedAt { calibrate(monotonic: monotonic) }
        return UInt64(bitPattern: Int64(bitPattern: monotonic) &+ state.pointee.wallOffset)
    }

    /// Starts a span now.
    ///
    /// With a valid `parent` the span joins its trace (trace id, `random` flag and trace state copied unchanged);
    /// otherwise it starts a new trace with a generated id and the `random` flag (W3C Trace Context Level 2). The
    /// `sampled` flag is set from the sampler's decision; a dropped span is non-recording but has a fresh, valid
    /// span id so the decision propagates.
    ///
    /// - Parameters:
    ///   - name: the span name.
    ///   - kind: the span kind.
    ///   - parent: the parent context (remote from a propagator, or a local span's context), or nil for a root.
    ///   - attributes: attributes known at start; nil starts an empty list with room for `attributeCapacity`.
    ///   - attributeCapacity: slots reserved when `attributes` is nil (default 16), so a caller that knows how many
    ///     attributes it sets pays one exact allocation instead of a regrowth (nothing is allocated for a dropped span).
    ///   - links: links known at start.
    ///   - samplerOverride: a sampler for this span instead of the factory's (a gateway route's own ratio).
    ///   - startMonotonicNanoseconds: when the operation started on `MonotonicClock` (e.g. the event loop's reading
    ///     when the request's first byte arrived); nil reads the clock now. The wall start time is derived from it.
    public func startSpan(
        _ name: String,
        kind: SpanKind = .internal,
        parent: SpanContext? = nil,
        attributes: SpanAttributeList? = nil,
        attributeCapacity: Int = SpanAttributeList.defaultReservedCapacity,
        links: [SpanLink] = [],
        sampler samplerOverride: ConfiguredSampler? = nil,
        at startMonotonicNanoseconds: UInt64? = nil
    ) -> RecordingSpan {
        let startMonotonic = startMonotonicNanoseconds ?? MonotonicClock.nowNanoseconds()
        let startWall = wallTime(atMonotonic: startMonotonic)
        let validParent: SpanContext? = parent.flatMap { $0.isValid ? $0 : nil }
        let traceID: TraceID
        var flags: TraceFlags
        let traceState: TraceState
        if let validParent {
            traceID = validParent.traceID
            flags = validParent.traceFlags.intersection(.random)
            traceState = validParent.traceState
        } else {
            traceID = state.pointee.idGenerator.nextTraceID()
            flags = .random
            traceState = TraceState()
        }
        let decision = (samplerOverride ?? sampler).decide(parent: validParent, traceID: traceID)
        if decision == .recordAndSample { flags.insert(.sampled) }
        let context = SpanContext(
            traceID: traceID, spanID: state.pointee.idGenerator.nextSpanID(), traceFlags: flags, traceState: traceState,
            isRemote: false
        )
        guard decision != .drop else {
            return RecordingSpan(
                name: name, kind: kind, context: context, parentSpanID: validParent?.spanID, isRecording: false,
                startTimeUnixNano: startWall, startMonotonicNanoseconds: startMonotonic,
                attributes: SpanAttributeList(limits: limits.attributes, reservedCapacity: 0), limits: limits,
                scope: scope)
        }
        guard let record = reusableRecord() else {
            let span = RecordingSpan(
                name: name, kind: kind, context: context, parentSpanID: validParent?.spanID, isRecording: true,
                startTimeUnixNano: startWall, startMonotonicNanoseconds: startMonotonic,
                attributes: attributes ?? SpanAttributeList(limits: limits.attributes, reservedCapacity: attributeCapacity),
                links: links, limits: limits, scope: scope)
            if attributes == nil { span.record?.attributesMayBeShared = false }  // a list made here, held nowhere else
            return span
        }
        let keptLinks = links.count > limits.linkCountLimit ? Array(links.prefix(limits.linkCountLimit)) : links
        record.reuse(
            name: name, kind: kind, context: context, parentSpanID: validParent?.spanID, startTimeUnixNano: startWall,
            startMonotonicNanoseconds: startMonotonic, attributeLimits: limits.attributes,
            attributeCapacity: attributes == nil ? attributeCapacity : 0, links: keptLinks,
            droppedLinksCount: links.count - keptLinks.count, limits: limits, scope: scope,
            owner: factoryID)
        if let attributes {
            record.attributes = attributes
            record.attributesMayBeShared = true
        }
        return RecordingSpan(context: context, kind: kind, record: record)
    }

    /// Ends `span` at a monotonic reading (default now) and hands it to the processor if it is sampled.
    ///
    /// Spans that are recording but not sampled (`recordOnly`) are not passed on: every processor in this package
    /// exports only sampled spans. Ending twice is a no-op.
    public func end(_ span: inout RecordingSpan, at endMonotonicNanoseconds: UInt64 = MonotonicClock.nowNanoseconds()) {
        guard let finished = span.end(at: endMonotonicNanoseconds) else { return }
        guard finished.context.isSampled, processorAcceptsSpans else {
            keepForReuse(finished)
            return
        }
        guard state.pointee.batchesEndedSpans else {
            processor.onEnd(finished)
            return
        }
        state.pointee.endedSpans.append(finished)
        if state.pointee.endedSpans.isFull { processor.onEnd(batch: &state.pointee.endedSpans) }
    }

    /// A recycled record for the next span: popped from this factory's stack (refilled from the pool when empty)
    /// and checked here, on the thread that writes it next; nil when none is free.
    @inline(__always)
    private func reusableRecord() -> SpanRecord? {
        while true {
            if state.pointee.records.isEmpty {
                guard let recordPool else { return nil }
                if state.pointee.refillBackoff > 0 {
                    state.pointee.refillBackoff &-= 1
                    return nil
                }
                recordPool.refill(&state.pointee.records)
                if state.pointee.records.isEmpty {
                    state.pointee.refillBackoff = SpanRecordPool.refillCount
                    return nil
                }
            }
            let popped = state.pointee.records.removeLast()
            state.pointee.records.withUnsafeBufferPointer { waiting in
                // Records that went through an export thread are rarely still in this core's cache: start fetching
                // the record after next and the next one's attributes, so the next spans do not wait for them.
                let count = waiting.count
                if count >= 16 { SpanRecord.prefetchSlot(at: count &- 16, in: waiting) }
                if count >= 2 { SpanRecord.prefetchRecord(at: count &- 2, in: waiting, forWriting: true) }
                if count >= 1 { SpanRecord.prefetchAttributes(at: count &- 1, in: waiting, forWriting: true) }
            }
            if let record = SpanRecordPool.reusableRecord(of: consume popped) { return record }
        }
    }

    /// The most records of unseen spans a factory keeps for its next spans, as many as the shared record pool
    /// holds. One event-loop pass can end a span or two for every connection before it starts the next ones (a
    /// proxy at 1,000 connections ends up to 2,000), so a smaller stack would free records in one half of the pass
    /// and allocate them again in the other. Records holding more than
    /// `SpanRecordPool.largestRecycledAttributeBytes` of attributes are not kept, and the stack only grows to the
    /// most spans that ended together, so an idle factory holds what its busiest pass needed.
    static var keptRecordLimit: Int { 4096 }

    /// Keeps the record of a span nobody will see (not sampled, or no processor takes spans) for this factory's next
    /// span, instead of freeing it and allocating another.
    private func keepForReuse(_ span: consuming FinishedSpan) {
        guard state.pointee.records.count < Self.keptRecordLimit,
              span.record.attributeBytes <= SpanRecordPool.largestRecycledAttributeBytes
        else { return }
        state.pointee.records.append(span)
    }

    /// Hands every collected ended span to the processor (see `endBatchCapacity`); cheap when there are none.
    public func flushEndedSpans() {
        guard !state.pointee.endedSpans.isEmpty else { return }
        processor.onEnd(batch: &state.pointee.endedSpans)
    }
}

@available(*, unavailable, message: "SpanFactory owns a per-thread IDGenerator; create one per thread")
extension SpanFactory: Sendable {}

/// Hands out factory identities (`SpanRecord.limitsAndScopeOwner`).
enum SpanFactoryIdentity {
    private static let counter = Atomic<UInt64>(1)

    /// A number no other factory of this process got.
    static func next() -> UInt64 { counter.wrappingAdd(1, ordering: .relaxed).oldValue }
}
