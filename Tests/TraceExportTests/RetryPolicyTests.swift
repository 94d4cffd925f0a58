import TraceExport
import XCTest

final class RetryPolicyTests: XCTestCase {
    func test_classifyGRPC_retryableCodes_areRetryable() {
        for code in [1, 4, 10, 11, 14, 15] {
            guard case .retryable = RetryPolicy.classify(grpcStatus: code, message: "", retryInfoDelayNanoseconds: nil) else {
                return XCTFail("code \(code) should be retryable")
            }
        }
    }

    func test_classifyGRPC_otherCodes_arePermanent() {
        for code in [2, 3, 5, 6, 7, 9, 12, 13, 16] {
            guard case .permanent = RetryPolicy.classify(grpcStatus: code, message: "x", retryInfoDelayNanoseconds: nil) else {
                return XCTFail("code \(code) should be permanent")
            }
        }
        XCTAssertEqual(RetryPolicy.classify(grpcStatus: 0, message: "", retryInfoDelayNanoseconds: nil), .delivered)
    }

    func test_classifyGRPC_resourceExhausted_retryableOnlyWithRetryInfo() {
        guard case .permanent = RetryPolicy.classify(grpcStatus: 8, message: "", retryInfoDelayNanoseconds: nil) else {
            return XCTFail("RESOURCE_EXHAUSTED without RetryInfo must not be retried")
        }
        XCTAssertEqual(RetryPolicy.classify(grpcStatus: 8, message: "", retryInfoDelayNanoseconds: 2_000_000_000),
                       .retryable(reason: "grpc-status 8", notBeforeNanoseconds: 2_000_000_000))
    }

    func test_classifyHTTP_statuses_followOTLPSpec() {
        for status in [429, 502, 503, 504] {
            guard case .retryable = RetryPolicy.classify(httpStatus: status, retryAfter: nil) else {
                return XCTFail("\(status) should be retryable")
            }
        }
        for status in [400, 401, 403, 404, 413, 500] {
            guard case .permanent = RetryPolicy.classify(httpStatus: status, retryAfter: nil) else {
                return XCTFail("\(status) should be permanent")
            }
        }
        XCTAssertEqual(RetryPolicy.classify(httpStatus: 200, retryAfter: nil), .delivered)
        XCTAssertEqual(RetryPolicy.classify(httpStatus: 202, retryAfter: nil), .delivered)
    }

    func test_classifyHTTP_retryAfterSeconds_isHonoured() {
        XCTAssertEqual(RetryPolicy.classify(httpStatus: 503, retryAfter: "7"),
                       .retryable(reason: "HTTP 503", notBeforeNanoseconds: 7_000_000_000))
        XCTAssertEqual(RetryPolicy.classify(httpStatus: 429, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT"),
                       .retryable(reason: "HTTP 429", notBeforeNanoseconds: nil))
    }

    func test_parseRetryAfter_malformed_isNil() {
        XCTAssertNil(RetryPolicy.parseRetryAfterSeconds(""))
        XCTAssertNil(RetryPolicy.parseRetryAfterSeconds("-1"))
        XCTAssertNil(RetryPolicy.parseRetryAfterSeconds("1.5"))
        XCTAssertEqual(RetryPolicy.parseRetryAfterSeconds(" 3 "), 3_000_000_000)
    }

    func test_delay_growsExponentiallyUpToCeiling() {
        let policy = RetryPolicy()
        XCTAssertEqual(policy.delayNanoseconds(retry: 0, unitRandom: 0.999_999), 999_999_000, accuracy: 1000)
        XCTAssertEqual(policy.delayNanoseconds(retry: 1, unitRandom: 0.999_999), 1_499_998_500, accuracy: 1000)
        XCTAssertEqual(policy.delayNanoseconds(retry: 50, unitRandom: 0.999_999), 4_999_995_000, accuracy: 1000)
    }

    func test_delay_jitter_staysBelowCeilingAndAboveFloor() {
        let policy = RetryPolicy()
        XCTAssertEqual(policy.delayNanoseconds(retry: 0, unitRandom: 0), 10_000_000)
        XCTAssertEqual(policy.delayNanoseconds(retry: 0, unitRandom: 0.5), 500_000_000)
    }

    func test_delay_serverDelay_replacesBackoffAndIsCapped() {
        let policy = RetryPolicy()
        XCTAssertEqual(policy.delayNanoseconds(retry: 3, unitRandom: 0.1, serverDelayNanoseconds: 2_500_000_000), 2_500_000_000)
        XCTAssertEqual(policy.delayNanoseconds(retry: 0, unitRandom: 0.1, serverDelayNanoseconds: 90_000_000_000), 30_000_000_000)
    }

    func test_retryingDelivery_stopsOnPermanent_afterOneAttempt() {
        let delivery = RetryingDelivery(requestTimeoutNanoseconds: 1_000_000_000, exportTimeoutNanoseconds: 5_000_000_000)
        let (outcome, attempts) = delivery.run { _ in .permanent(reason: "HTTP 400") }
        XCTAssertEqual(outcome, .permanent(reason: "HTTP 400"))
        XCTAssertEqual(attempts, 1)
    }

    func test_retryingDelivery_retriesUntilDelivered() {
        var policy = RetryPolicy()
        policy.initialBackoffNanoseconds = 1_000_000
        policy.maximumBackoffNanoseconds = 2_000_000
        let delivery = RetryingDelivery(policy: policy, requestTimeoutNanoseconds: 1_000_000_000,
                                        exportTimeoutNanoseconds: 10_000_000_000)
        var calls = 0
        let (outcome, attempts) = delivery.run { _ in
            calls += 1
            return calls < 3 ? .retryable(reason: "HTTP 503", notBeforeNanoseconds: nil) : .delivered
        }
        XCTAssertEqual(outcome, .delivered)
        XCTAssertEqual(attempts, 3)
    }

    func test_retryingDelivery_givesUpWhenBackoffWouldPassExportTimeout() {
        let delivery = RetryingDelivery(requestTimeoutNanoseconds: 1_000_000_000, exportTimeoutNanoseconds: 100_000_000)
        let (outcome, attempts) = delivery.run { _ in .retryable(reason: "x", notBeforeNanoseconds: 5_000_000_000) }
        guard case .retryable = outcome else { return XCTFail("expected retryable") }
        XCTAssertEqual(attempts, 1)
    }

    func test_retryingDelivery_attemptTimeout_isBoundedByExportBudget() {
        let delivery = RetryingDelivery(requestTimeoutNanoseconds: 10_000_000_000, exportTimeoutNanoseconds: 2_000_000_000)
        var seen: UInt64 = 0
        _ = delivery.run { timeout in
            seen = timeout
            return .delivered
        }
        XCTAssertLessThanOrEqual(seen, 2_000_000_000)
        XCTAssertGreaterThan(seen, 1_000_000_000)
    }

    func test_retryingDelivery_shouldStop_endsBackoffEarly() {
        var policy = RetryPolicy()
        policy.initialBackoffNanoseconds = 10_000_000_000
        policy.maximumBackoffNanoseconds = 10_000_000_000
        let delivery = RetryingDelivery(policy: policy, requestTimeoutNanoseconds: 1_000_000_000,
                                        exportTimeoutNanoseconds: 60_000_000_000)
        let (outcome, attempts) = delivery.run(shouldStop: { true }) { _ in
            .retryable(reason: "x", notBeforeNanoseconds: 1_000_000_000)
        }
        guard case .retryable(let reason, _) = outcome else { return XCTFail("expected retryable") }
        XCTAssertTrue(reason.contains("stopped"))
        XCTAssertEqual(attempts, 1)
    }
}
