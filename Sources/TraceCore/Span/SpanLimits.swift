/// Bounds on what one span may hold (OpenTelemetry SDK §Span Limits).
///
/// Each default is the specification's, with the environment variable that configures it.
public struct SpanLimits: Sendable, Hashable {
    /// Span attributes: count and value length (`OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT`, default 128;
    /// `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT`, default unlimited).
    public var attributes: AttributeLimits
    /// Most events per span (`OTEL_SPAN_EVENT_COUNT_LIMIT`, default 128).
    public var eventCountLimit: Int
    /// Most links per span (`OTEL_SPAN_LINK_COUNT_LIMIT`, default 128).
    public var linkCountLimit: Int
    /// Most attributes per event (`OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT`, default 128).
    public var attributePerEventCountLimit: Int
    /// Most attributes per link (`OTEL_LINK_ATTRIBUTE_COUNT_LIMIT`, default 128).
    public var attributePerLinkCountLimit: Int

    /// Creates limits; the defaults are the specification's.
    public init(
        attributes: AttributeLimits = .default,
        eventCountLimit: Int = 128,
        linkCountLimit: Int = 128,
        attributePerEventCountLimit: Int = 128,
        attributePerLinkCountLimit: Int = 128
    ) {
        self.attributes = attributes
        self.eventCountLimit = max(0, eventCountLimit)
        self.linkCountLimit = max(0, linkCountLimit)
        self.attributePerEventCountLimit = max(0, attributePerEventCountLimit)
        self.attributePerLinkCountLimit = max(0, attributePerLinkCountLimit)
    }

    /// The specification defaults.
    public static let `default` = SpanLimits()
}
