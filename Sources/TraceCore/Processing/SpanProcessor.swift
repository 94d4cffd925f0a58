/// Receives every ended, sampled span and passes it on to exporters (OpenTelemetry SDK §Span processor).
///
/// `onEnd` runs on the request path: implementations must not block on I/O or on an exporter.
public protocol SpanProcessor: AnyObject, Sendable {
    /// Takes an ended span; must return quickly and never wait for export (drop and count instead).
    func onEnd(_ span: consuming FinishedSpan)
    /// Takes several ended spans at once and leaves `spans` empty; a thread that ends many spans (a gateway worker)
    /// hands them over in one call, so a queue lock is taken once per batch instead of per span. The default passes
    /// each span to `onEnd`.
    func onEnd(batch spans: inout FinishedSpanBatch)
    /// Whether `onEnd` does anything with a span; false lets a span factory reuse ended spans' memory at once (a
    /// fan-out to no exporter). Fixed for the processor's lifetime. The default is true.
    var acceptsSpans: Bool { get }
    /// Exports everything queued so far; returns false if `timeoutNanos` passed first (§ForceFlush).
    func forceFlush(timeoutNanos: UInt64) -> Bool
    /// Flushes, then shuts the exporter down; later spans are dropped. False if the deadline passed (§Shutdown).
    func shutdown(timeoutNanos: UInt64) -> Bool
}

extension SpanProcessor {
    /// Processors take spans unless they say otherwise.
    public var acceptsSpans: Bool { true }

    /// Passes each span to `onEnd`, then empties `spans`.
    public func onEnd(batch spans: inout FinishedSpanBatch) {
        spans.drain { onEnd($0) }
    }
}
