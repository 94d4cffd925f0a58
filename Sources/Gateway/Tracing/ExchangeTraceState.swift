import TraceCore

/// The mutable tracing state of one client connection: the current request's spans, counters, and strings cached
/// for the connection's lifetime (peer address) or until their source bytes change (Host, User-Agent, path).
///
/// Lives behind `ExchangeTracer`'s pointer, so spans are mutated in place without dynamic exclusivity checks.
struct ExchangeTraceState: ~Copyable {
    var serverSpan = RecordingSpan.nonRecording(context: .invalid)
    var clientSpan = RecordingSpan.nonRecording(context: .invalid, kind: .client)
    /// A server span was started for the current request.
    var isTracing = false
    var clientSpanOpen = false
    var injects = false
    var sendsResponseHeader = false
    var requestBodySize = 0
    var responseBodySize = 0
    var attemptStartNanos: UInt64 = 0
    var firstByteRecorded = false
    /// Route attributes or captures were set: user-chosen keys that may repeat a semantic-convention key.
    var hasCustomAttributes = false

    // Cached per connection.
    /// The socket peer's numeric host, built on the first traced request (nil until then).
    var peerHost: String?
    var peerPort: Int64 = 0
    /// `server.address` / `server.port` for the last authority seen.
    var authorityHost = MemoizedString()
    var authorityPort: Int64 = 80
    var userAgent = MemoizedString()
    var urlPath = MemoizedString()
    var urlFull = MemoizedString()
    /// The backend of the last attempt (its strings also prefix `urlFull`).
    var backend: BackendSpanStrings?
}
