/// What one delivery attempt of a batch came to, as the retry loop sees it.
///
/// Produced by `RetryPolicy.classify` from a gRPC status or an HTTP status, so the rules of the OTLP
/// specification ("Failures" and "Throttling" in the OTLP protocol page) live in one place.
public enum ExportAttemptOutcome: Sendable, Equatable {
    /// Delivered (a partial success counts as delivered: it must not be retried).
    case delivered
    /// May succeed if sent again; `notBeforeNanoseconds` is the server's requested delay (Retry-After, RetryInfo).
    case retryable(reason: String, notBeforeNanoseconds: UInt64?)
    /// Must not be sent again (e.g. HTTP 400, 413, gRPC INVALID_ARGUMENT).
    case permanent(reason: String)
}
