/// A reference from a span to another span's context (OpenTelemetry Trace API §Link).
public struct SpanLink: Sendable, Equatable {
    /// The linked span's context.
    public var context: SpanContext
    /// The link's attributes.
    public var attributes: SpanAttributeList

    /// Creates a link.
    public init(context: SpanContext, attributes: SpanAttributeList = SpanAttributeList(reservedCapacity: 0)) {
        self.context = context
        self.attributes = attributes
    }
}
