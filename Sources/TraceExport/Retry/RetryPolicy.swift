/// Exponential backoff with full jitter, and the table of which answers may be retried.
///
/// The OTLP specification (protocol page, "Failures") lists the retryable gRPC codes — CANCELLED,
/// DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS, and RESOURCE_EXHAUSTED only with
/// RetryInfo — and the retryable HTTP statuses 429, 502, 503 and 504; everything else is permanent. Pure: the
/// caller passes the random number, so tests need no clock.
public struct RetryPolicy: Sendable, Hashable {
    /// Delay ceiling before the first retry (default 1 s).
    public var initialBackoffNanoseconds: UInt64
    /// Largest delay ceiling (default 5 s).
    public var maximumBackoffNanoseconds: UInt64
    /// Growth of the ceiling per attempt (default 1.5, as the OpenTelemetry SDKs use).
    public var multiplier: Double
    /// Largest server-requested delay honoured (default 30 s, the default export timeout).
    public var maximumServerDelayNanoseconds: UInt64

    /// The defaults above.
    public init(
        initialBackoffNanoseconds: UInt64 = 1_000_000_000,
        maximumBackoffNanoseconds: UInt64 = 5_000_000_000,
        multiplier: Double = 1.5,
        maximumServerDelayNanoseconds: UInt64 = 30_000_000_000
    ) {
        self.initialBackoffNanoseconds = initialBackoffNanoseconds
        self.maximumBackoffNanoseconds = maximumBackoffNanoseconds
        self.multiplier = multiplier
        self.maximumServerDelayNanoseconds = maximumServerDelayNanoseconds
    }

    /// The delay before retry number `retry` (0 for the first retry), given `unitRandom` in [0, 1).
    ///
    /// Full jitter (a uniform delay below the exponential ceiling) spreads retries of many gateways apart. A
    /// server-requested delay replaces the backoff, capped at `maximumServerDelayNanoseconds`.
    public func delayNanoseconds(retry: Int, unitRandom: Double, serverDelayNanoseconds: UInt64? = nil) -> UInt64 {
        if let serverDelayNanoseconds { return min(serverDelayNanoseconds, maximumServerDelayNanoseconds) }
        var ceiling = Double(initialBackoffNanoseconds)
        var i = 0
        while i < retry, ceiling < Double(maximumBackoffNanoseconds) {
            ceiling *= multiplier
            i += 1
        }
        ceiling = min(ceiling, Double(maximumBackoffNanoseconds))
        let r = min(max(unitRandom, 0), 1)
        // Never zero: at least 1% of the ceiling, so a burst of failures does not spin.
        return UInt64(ceiling * max(r, 0.01))
    }

    // MARK: Classification

    /// Classifies a gRPC status (0 is OK); `retryInfoDelayNanoseconds` is the delay of a `google.rpc.RetryInfo`
    /// detail in `grpc-status-details-bin`, when the server sent one.
    public static func classify(grpcStatus: Int, message: String, retryInfoDelayNanoseconds: UInt64?) -> ExportAttemptOutcome {
        let reason = "grpc-status \(grpcStatus)\(message.isEmpty ? "" : ": \(message)")"
        switch grpcStatus {
        case 0:
            return .delivered
        case 1, 4, 10, 11, 14, 15:  // CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS
            return .retryable(reason: reason, notBeforeNanoseconds: retryInfoDelayNanoseconds)
        case 8:  // RESOURCE_EXHAUSTED: only when the server says when to come back.
            if let retryInfoDelayNanoseconds {
                return .retryable(reason: reason, notBeforeNanoseconds: retryInfoDelayNanoseconds)
            }
            return .permanent(reason: reason)
        default:
            return .permanent(reason: reason)
        }
    }

    /// Classifies an HTTP status; `retryAfter` is the raw Retry-After value, if any.
    public static func classify(httpStatus: Int, retryAfter: String?) -> ExportAttemptOutcome {
        switch httpStatus {
        case 200..<300:
            return .delivered
        case 429, 502, 503, 504:
            return .retryable(reason: "HTTP \(httpStatus)",
                              notBeforeNanoseconds: retryAfter.flatMap(parseRetryAfterSeconds))
        default:
            return .permanent(reason: "HTTP \(httpStatus)")
        }
    }

    /// Parses Retry-After in its delay-seconds form (RFC 9110 §10.2.3); the HTTP-date form is not honoured
    /// (nil), which falls back to the backoff.
    public static func parseRetryAfterSeconds(_ text: String) -> UInt64? {
        let trimmed = text.utf8.drop { $0 == 32 || $0 == 9 }
        var value: UInt64 = 0
        var digits = 0
        for byte in trimmed {
            if byte == 32 || byte == 9 { break }
            guard byte >= 48, byte <= 57, digits < 10 else { return nil }
            value = value * 10 + UInt64(byte - 48)
            digits += 1
        }
        guard digits > 0 else { return nil }
        return value * 1_000_000_000
    }
}
