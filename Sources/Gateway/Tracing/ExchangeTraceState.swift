import TraceCore

/// The mutable tracing state of one client connection: the current request's spans, counters, and the backend of
/// the last attempt.
///
/// Lives behind `ExchangeTracer`'s pointer, so spans are mutated in place without dynamic exclusivity checks.
struct ExchangeTraceState: ~Copyable {
    var serverSpan = RecordingSpan.nonRecording(context: .invalid)
    var clientSpan = RecordingSpan.nonRecording(context: .invalid, kind: .client)
    /// A server span was started for the current request.
    var isTracing = false
    var clientSpanOpen = false
    var injects = false
    /// The request carries a field some propagator reads (`WorkerTracing.carriesTraceContext`): only then can a
    /// field be one our injection replaces.
    var hasContextFields = false
    var sendsResponseHeader = false
    var requestBodySize = 0
    var responseBodySize = 0
    var attemptStartNanos: UInt64 = 0
    /// The current backend attempt (1 for the first); keys set once per attempt are new on the first.
    var attempt = 0
    var firstByteRecorded = false
    /// Route attributes or captures were set: user-chosen keys that may repeat a semantic-convention key.
    var hasCustomAttributes = false
}
