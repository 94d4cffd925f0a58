#if canImport(Glibc)
import Glibc
#endif
import IOCore

/// Runs delivery attempts of one batch until it is delivered, refused for good, or the export deadline passes.
///
/// The whole loop runs on the batch processor's export thread and sleeps there between attempts, so a failing
/// collector only delays later exports of the same exporter, never a proxied request. Each attempt is limited by
/// the per-request timeout and by what remains of the whole export's budget (OTEL_BSP_EXPORT_TIMEOUT).
public struct RetryingDelivery: Sendable {
    /// The backoff and classification rules.
    public var policy: RetryPolicy
    /// Timeout of one attempt (OTEL_EXPORTER_OTLP_TIMEOUT; default 10 s).
    public var requestTimeoutNanoseconds: UInt64
    /// Bound on the whole export including retries (OTEL_BSP_EXPORT_TIMEOUT; default 30 s).
    public var exportTimeoutNanoseconds: UInt64

    /// Creates a delivery loop with the given limits.
    public init(policy: RetryPolicy = RetryPolicy(), requestTimeoutNanoseconds: UInt64, exportTimeoutNanoseconds: UInt64) {
        self.policy = policy
        self.requestTimeoutNanoseconds = requestTimeoutNanoseconds
        self.exportTimeoutNanoseconds = exportTimeoutNanoseconds
    }

    /// Calls `attempt(timeoutNanoseconds)` until it delivers or must stop; returns the final outcome and the number
    /// of attempts made. `shouldStop` is polled while sleeping so shutdown is not held up by a backoff.
    public func run(
        shouldStop: () -> Bool = { false },
        _ attempt: (_ timeoutNanoseconds: UInt64) -> ExportAttemptOutcome
    ) -> (outcome: ExportAttemptOutcome, attempts: Int) {
        let deadline = MonotonicClock.nanoseconds() &+ exportTimeoutNanoseconds
        var attempts = 0
        var retry = 0
        while true {
            let now = MonotonicClock.nanoseconds()
            let remaining = deadline > now ? deadline - now : 0
            let timeout = min(requestTimeoutNanoseconds, remaining)
            attempts += 1
            let outcome = attempt(max(timeout, 1_000_000))
            guard case .retryable(let reason, let serverDelay) = outcome else { return (outcome, attempts) }
            let delay = policy.delayNanoseconds(retry: retry, unitRandom: Double.random(in: 0..<1),
                                                serverDelayNanoseconds: serverDelay)
            retry += 1
            let after = MonotonicClock.nanoseconds()
            // Give up when the wait plus a minimal attempt would overrun the export's budget.
            guard after &+ delay &+ 10_000_000 < deadline else {
                return (.retryable(reason: "\(reason); export timeout reached after \(attempts) attempts",
                                   notBeforeNanoseconds: nil), attempts)
            }
            if !Self.sleep(nanoseconds: delay, shouldStop: shouldStop) {
                return (.retryable(reason: "\(reason); stopped during backoff", notBeforeNanoseconds: nil), attempts)
            }
        }
    }

    /// Sleeps in slices of at most 50 ms, returning false early when `shouldStop` turns true.
    private static func sleep(nanoseconds: UInt64, shouldStop: () -> Bool) -> Bool {
        let end = MonotonicClock.nanoseconds() &+ nanoseconds
        while true {
            if shouldStop() { return false }
            let now = MonotonicClock.nanoseconds()
            if now >= end { return true }
            let slice = min(end - now, 50_000_000)
            var ts = timespec(tv_sec: Int(slice / 1_000_000_000), tv_nsec: Int(slice % 1_000_000_000))
            _ = nanosleep(&ts, nil)
        }
    }
}
