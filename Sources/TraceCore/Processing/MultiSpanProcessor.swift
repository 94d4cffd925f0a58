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

    /// Passes `span` to every processor.
    public func onEnd(_ span: consuming FinishedSpan) {
        let shared = copy span
        for processor in processors { processor.onEnd(copy shared) }
    }

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
