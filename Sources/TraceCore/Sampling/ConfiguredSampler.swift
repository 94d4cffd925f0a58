/// The standard samplers as a closed enum, so the request path dispatches statically
/// (OpenTelemetry SDK configuration §OTEL_TRACES_SAMPLER).
///
/// Built from the `OTEL_TRACES_SAMPLER` names and `OTEL_TRACES_SAMPLER_ARG`; the parent-based cases use the
/// specification's default delegates (follow a sampled parent, drop an unsampled one).
public enum ConfiguredSampler: Sampler, Hashable {
    /// `always_on`.
    case alwaysOn
    /// `always_off`.
    case alwaysOff
    /// `traceidratio`.
    case traceIDRatio(TraceIDRatioSampler)
    /// `parentbased_always_on` (the specification's default sampler).
    case parentBasedAlwaysOn
    /// `parentbased_always_off`.
    case parentBasedAlwaysOff
    /// `parentbased_traceidratio`.
    case parentBasedTraceIDRatio(TraceIDRatioSampler)

    /// The names accepted by `init(name:argument:)`.
    public static let allowedNames =
        "always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio"

    /// Parses `OTEL_TRACES_SAMPLER` (`name`) and `OTEL_TRACES_SAMPLER_ARG` (`argument`).
    ///
    /// For the ratio samplers a missing argument means 1.0 (spec default); an unparsable or out-of-range argument
    /// is an error rather than the spec's silent fallback, because a typo in a sampling rate should stop start-up.
    public init(name: String, argument: String? = nil) throws(ConfigurationError) {
        func ratio() throws(ConfigurationError) -> TraceIDRatioSampler {
            guard let argument, !argument.isEmpty else { return TraceIDRatioSampler(ratio: 1) }
            guard let value = Double(argument), value >= 0, value <= 1 else {
                throw .invalidValue(key: "OTEL_TRACES_SAMPLER_ARG", value: argument, allowed: "a number in 0...1")
            }
            return TraceIDRatioSampler(ratio: value)
        }
        switch name.lowercased() {
        case "always_on": self = .alwaysOn
        case "always_off": self = .alwaysOff
        case "traceidratio": self = .traceIDRatio(try ratio())
        case "parentbased_always_on": self = .parentBasedAlwaysOn
        case "parentbased_always_off": self = .parentBasedAlwaysOff
        case "parentbased_traceidratio": self = .parentBasedTraceIDRatio(try ratio())
        default:
            throw .invalidValue(key: "OTEL_TRACES_SAMPLER", value: name, allowed: Self.allowedNames)
        }
    }

    /// `parentbased_traceidratio` at `rate`, or `parentbased_always_on` for rate ≥ 1 and `parentbased_always_off`
    /// for rate ≤ 0: the seed's `SamplingRate` option.
    public static func parentBased(rate: Double) -> ConfiguredSampler {
        if rate >= 1 { return .parentBasedAlwaysOn }
        if rate <= 0 { return .parentBasedAlwaysOff }
        return .parentBasedTraceIDRatio(TraceIDRatioSampler(ratio: rate))
    }

    /// The decision; parent-based cases follow a valid parent's sampled flag, remote or local alike.
    @inlinable
    public func shouldSample(
        parent: SpanContext?, traceID: TraceID, name: String, kind: SpanKind, attributes: SpanAttributeList
    ) -> SamplingResult {
        SamplingResult(decision: decide(parent: parent, traceID: traceID))
    }

    /// The decision alone, with no result struct: the hot-path entry.
    @inlinable
    public func decide(parent: SpanContext?, traceID: TraceID) -> SamplingDecision {
        switch self {
        case .alwaysOn:
            return .recordAndSample
        case .alwaysOff:
            return .drop
        case .traceIDRatio(let sampler):
            return sampler.isSampled(traceID) ? .recordAndSample : .drop
        case .parentBasedAlwaysOn:
            if let parent, parent.isValid { return parent.isSampled ? .recordAndSample : .drop }
            return .recordAndSample
        case .parentBasedAlwaysOff:
            if let parent, parent.isValid { return parent.isSampled ? .recordAndSample : .drop }
            return .drop
        case .parentBasedTraceIDRatio(let sampler):
            if let parent, parent.isValid { return parent.isSampled ? .recordAndSample : .drop }
            return sampler.isSampled(traceID) ? .recordAndSample : .drop
        }
    }

    /// The specification's description of the equivalent sampler.
    public var description: String {
        switch self {
        case .alwaysOn: return AlwaysOnSampler().description
        case .alwaysOff: return AlwaysOffSampler().description
        case .traceIDRatio(let sampler): return sampler.description
        case .parentBasedAlwaysOn: return ParentBasedSampler(root: AlwaysOnSampler()).description
        case .parentBasedAlwaysOff: return ParentBasedSampler(root: AlwaysOffSampler()).description
        case .parentBasedTraceIDRatio(let sampler): return ParentBasedSampler(root: sampler).description
        }
    }
}
