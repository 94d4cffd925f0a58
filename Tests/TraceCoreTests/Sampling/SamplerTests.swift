import XCTest

@testable import TraceCore

final class SamplerTests: XCTestCase {
    private let attributes = SpanAttributeList(reservedCapacity: 0)

    private func decision(_ sampler: some Sampler, parent: SpanContext? = nil, traceID: TraceID) -> SamplingDecision {
        sampler.shouldSample(parent: parent, traceID: traceID, name: "s", kind: .server, attributes: attributes).decision
    }

    func test_ratioSampler_quarterOverFixedSeedIDs_landsBetween24And26Percent() {
        let sampler = TraceIDRatioSampler(ratio: 0.25)
        var generator = IDGenerator(seed: 12_345)
        var sampled = 0
        for _ in 0..<100_000 where sampler.isSampled(generator.nextTraceID()) { sampled += 1 }
        XCTAssertGreaterThanOrEqual(sampled, 24_000)
        XCTAssertLessThanOrEqual(sampled, 26_000)
    }

    func test_ratioSampler_sameID_sameDecision() {
        let sampler = TraceIDRatioSampler(ratio: 0.3)
        var generator = IDGenerator(seed: 1)
        for _ in 0..<1_000 {
            let id = generator.nextTraceID()
            XCTAssertEqual(sampler.isSampled(id), sampler.isSampled(id))
            XCTAssertEqual(sampler.isSampled(id), TraceIDRatioSampler(ratio: 0.3).isSampled(id))
        }
    }

    func test_ratioSampler_zeroAndOne_neverAndAlways() {
        let never = TraceIDRatioSampler(ratio: 0)
        let always = TraceIDRatioSampler(ratio: 1)
        for low: UInt64 in [0, 1, 0x7FFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF] {
            let id = TraceID(high: 1, low: low)
            XCTAssertEqual(decision(never, traceID: id), .drop)
            XCTAssertEqual(decision(always, traceID: id), .recordAndSample)
        }
        XCTAssertEqual(TraceIDRatioSampler(ratio: -1).ratio, 0)
        XCTAssertEqual(TraceIDRatioSampler(ratio: 7).ratio, 1)
        XCTAssertEqual(TraceIDRatioSampler(ratio: .nan).ratio, 0)
    }

    /// Expected decisions computed by hand from the Go SDK rule: sampled ⇔ (low >> 1) < UInt64(ratio · 2^63),
    /// where `low` is trace-id bytes 8...15 big-endian. Since x >> 1 < T ⇔ x < 2T for integers, each case reduces to
    /// comparing `low` with 2T:
    /// - ratio 0.25: T = 2^61, so sampled ⇔ low < 2^62 = 0x4000_0000_0000_0000.
    /// - ratio 0.5:  T = 2^62, so sampled ⇔ low < 2^63, i.e. the top bit of byte 8 is clear.
    /// - ratio 0.1:  the Double 0.1 is 0x1999999999999A · 2^-56, so 0.1 · 2^63 = 0x1999999999999A · 2^7
    ///               = 0x0CCC_CCCC_CCCC_CD00 exactly; sampled ⇔ low < 0x1999_9999_9999_9A00.
    /// The high half (bytes 0...7) never matters.
    func test_ratioSampler_tableOfIDs_matchesGoSDKArithmetic() {
        XCTAssertEqual(TraceIDRatioSampler(ratio: 0.25).threshold, 0x2000_0000_0000_0000)
        XCTAssertEqual(TraceIDRatioSampler(ratio: 0.5).threshold, 0x4000_0000_0000_0000)
        XCTAssertEqual(TraceIDRatioSampler(ratio: 0.1).threshold, 0x0CCC_CCCC_CCCC_CD00)
        let table: [(ratio: Double, traceID: String, sampled: Bool)] = [
            (0.25, "ffffffffffffffff0000000000000000", true),
            (0.25, "00000000000000013fffffffffffffff", true),
            (0.25, "00000000000000014000000000000000", false),
            (0.25, "0000000000000001ffffffffffffffff", false),
            (0.5, "4bf92f3577b34da67fffffffffffffff", true),
            (0.5, "4bf92f3577b34da68000000000000000", false),
            (0.5, "4bf92f3577b34da6a3ce929d0e0e4736", false),
            (0.5, "4bf92f3577b34da623ce929d0e0e4736", true),
            (0.1, "000000000000000119999999999999ff", true),
            (0.1, "00000000000000011999999999999a00", false),
            (0.1, "00000000000000010000000000000001", true),
        ]
        for row in table {
            let id = TraceID(hex: row.traceID)!
            XCTAssertEqual(
                TraceIDRatioSampler(ratio: row.ratio).isSampled(id), row.sampled, "ratio \(row.ratio) id \(row.traceID)"
            )
        }
    }

    func test_parentBased_followsParentSampledFlag_remoteAndLocal() {
        let sampler = ParentBasedSampler(root: AlwaysOffSampler())
        let configured = ConfiguredSampler.parentBasedAlwaysOff
        let id = TraceID(high: 1, low: 1)
        for remote in [true, false] {
            for sampled in [true, false] {
                let parent = SpanContext(
                    traceID: id, spanID: SpanID(rawValue: 1), traceFlags: sampled ? .sampled : [], isRemote: remote
                )
                let expected: SamplingDecision = sampled ? .recordAndSample : .drop
                XCTAssertEqual(decision(sampler, parent: parent, traceID: id), expected)
                XCTAssertEqual(decision(configured, parent: parent, traceID: id), expected)
            }
        }
        XCTAssertEqual(decision(sampler, parent: nil, traceID: id), .drop, "root uses the root sampler")
        XCTAssertEqual(decision(sampler, parent: .invalid, traceID: id), .drop, "an invalid parent counts as root")
    }

    func test_parentBased_customDelegates_areUsedPerCase() {
        let sampler = ParentBasedSampler(
            root: AlwaysOnSampler(), remoteParentSampled: AlwaysOffSampler(), remoteParentNotSampled: AlwaysOnSampler()
        )
        let id = TraceID(high: 1, low: 1)
        let remoteSampled = SpanContext(traceID: id, spanID: SpanID(rawValue: 1), traceFlags: .sampled, isRemote: true)
        let remoteUnsampled = SpanContext(traceID: id, spanID: SpanID(rawValue: 1), isRemote: true)
        let localUnsampled = SpanContext(traceID: id, spanID: SpanID(rawValue: 1), isRemote: false)
        XCTAssertEqual(decision(sampler, parent: remoteSampled, traceID: id), .drop)
        XCTAssertEqual(decision(sampler, parent: remoteUnsampled, traceID: id), .recordAndSample)
        XCTAssertEqual(decision(sampler, parent: localUnsampled, traceID: id), .drop)
        XCTAssertTrue(sampler.description.hasPrefix("ParentBased{root=AlwaysOnSampler"))
    }

    func test_configuredSampler_parsesOTELNames() throws {
        XCTAssertEqual(try ConfiguredSampler(name: "always_on"), .alwaysOn)
        XCTAssertEqual(try ConfiguredSampler(name: "always_off"), .alwaysOff)
        XCTAssertEqual(try ConfiguredSampler(name: "traceidratio", argument: "0.25"), .traceIDRatio(.init(ratio: 0.25)))
        XCTAssertEqual(try ConfiguredSampler(name: "traceidratio"), .traceIDRatio(.init(ratio: 1)))
        XCTAssertEqual(try ConfiguredSampler(name: "parentbased_always_on"), .parentBasedAlwaysOn)
        XCTAssertEqual(try ConfiguredSampler(name: "parentbased_always_off"), .parentBasedAlwaysOff)
        XCTAssertEqual(
            try ConfiguredSampler(name: "parentbased_traceidratio", argument: "0.5"),
            .parentBasedTraceIDRatio(.init(ratio: 0.5))
        )
    }

    func test_configuredSampler_unknownNameOrBadArgument_throwsNamingKey() {
        XCTAssertThrowsError(try ConfiguredSampler(name: "sometimes")) { error in
            guard case .invalidValue(let key, let value, _) = error as? ConfigurationError else { return XCTFail() }
            XCTAssertEqual(key, "OTEL_TRACES_SAMPLER")
            XCTAssertEqual(value, "sometimes")
        }
        XCTAssertThrowsError(try ConfiguredSampler(name: "traceidratio", argument: "1.5")) { error in
            guard case .invalidValue(let key, _, _) = error as? ConfigurationError else { return XCTFail() }
            XCTAssertEqual(key, "OTEL_TRACES_SAMPLER_ARG")
        }
    }

    func test_configuredSampler_matchesEquivalentGeneralSamplers() {
        var generator = IDGenerator(seed: 99)
        let ratio = TraceIDRatioSampler(ratio: 0.4)
        let pairs: [(ConfiguredSampler, any Sampler)] = [
            (.alwaysOn, AlwaysOnSampler()), (.alwaysOff, AlwaysOffSampler()), (.traceIDRatio(ratio), ratio),
            (.parentBasedAlwaysOn, ParentBasedSampler(root: AlwaysOnSampler())),
            (.parentBasedTraceIDRatio(ratio), ParentBasedSampler(root: ratio)),
        ]
        for _ in 0..<500 {
            let id = generator.nextTraceID()
            let parent: SpanContext? =
                id.low & 1 == 0
                ? nil : SpanContext(traceID: id, spanID: SpanID(rawValue: 5), traceFlags: id.low & 2 == 0 ? [] : .sampled)
            for (configured, general) in pairs {
                XCTAssertEqual(decision(configured, parent: parent, traceID: id), decision(general, parent: parent, traceID: id))
            }
        }
        XCTAssertEqual(ConfiguredSampler.traceIDRatio(ratio).description, "TraceIdRatioBased{0.4}")
    }

    func test_parentBasedRate_mapsSeedSamplingRate() {
        XCTAssertEqual(ConfiguredSampler.parentBased(rate: 1), .parentBasedAlwaysOn)
        XCTAssertEqual(ConfiguredSampler.parentBased(rate: 0), .parentBasedAlwaysOff)
        XCTAssertEqual(ConfiguredSampler.parentBased(rate: 0.5), .parentBasedTraceIDRatio(.init(ratio: 0.5)))
    }
}
