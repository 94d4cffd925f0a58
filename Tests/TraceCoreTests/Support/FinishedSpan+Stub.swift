@testable import TraceCore

extension FinishedSpan {
    /// A minimal sampled span for processor and exporter tests.
    static func stub(name: String = "stub", index: UInt64 = 1) -> FinishedSpan {
        FinishedSpan(
            name: name,
            kind: .server,
            context: SpanContext(
                traceID: TraceID(high: 1, low: index), spanID: SpanID(rawValue: index &+ 1), traceFlags: .sampled
            ),
            parentSpanID: nil,
            startTimeUnixNano: 1_000,
            endTimeUnixNano: 2_000
        )
    }
}
