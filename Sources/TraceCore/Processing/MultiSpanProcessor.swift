/// Fans each ended span out to several processors, e.g. one `BatchSpanProcessor` per exporter so a slow exporter
/// only fills its own queue (OpenTelemetry SDK §SpanProcessor: multiple processors are called in registration order).
///
/// Holds existentials because the set is chosen at start-up; the cost is one indirect call per processor per span.
public final class MultiSpanProcessor: SpanProcessor {
    /// The processors, in call order.
    public let processors: [any SpanProcessor]

    /// Creates the fan-out.
    public init(_ processors: [any SpanProcessor]) {
        self.processors = processors
    }

    /// Passes `span` to every processor: copies for all but the last, which gets the span itself (so the common
    /// single-exporter case copies nothing, and with no processor the span is simply dropped).
    public func onEnd(_ span: consuming FinishedSpan) {
        let count = processors.count
        guard count > 0 else { return }
        var index = 0
        while index < count - 1 {
            processors[index].onEnd(copy span)
            index += 1
        }
        processors[index].onEnd(span)
    }

    /// Passes the batch to every processor: copies for all but the last, which takes `spans` itself.
    public func onEnd(batch spans: inout FinishedSpanBatch) {
        let count = processors.count
        guard count > 0 else {
            spans.removeAll()
            return
        }
        var index = 0
        while index < count - 1 {
            var copy = spans.copy()
            processors[index].onEnd(batch: &copy)
            index += 1
        }
        processors[index].onEnd(batch: &spans)
    }

    /// False with no processors: spans ended into an empty fan-out go nowhere.
    public var acceptsSpans: Bool { processors.contains { $0.acceptsSpans } }

    /// Flushes every processor against one shared deadline; true only if all finished in time.
    public func forceFlush(timeoutNanos: UInt64) -> Bool {
        let deadline = MonotonicClock.nowNanoseconds().addingSaturating(timeoutNanos)
        var allDone = true
        for processor in processors {
            let now = MonotonicClock.nowNanoseconds()
            let remaining = deadline > now ? deadline - now : 0
            allDone = processor.forceFlush(timeoutNanos: remaining) && allDone
        }
        return allDone
    }

    /// Shuts every processor down against one shared deadline; true only if all finished in time.
    public func shutdown(timeoutNanos: UInt64) -> Bool {
        let deadline = MonotonicClock.nowNanoseconds().addingSaturating(timeoutNanos)
        var allDone = true
        for processor in processors {
            let now = MonotonicClock.nowNanoseconds()
            let remaining = deadline > now ? deadline - now : 0
            allDone = processor.shutdown(timeoutNanos: remaining) && allDone
        }
        return allDone
    }
}
