/// One key/value attribute (OpenTelemetry Common §Attribute).
public struct SpanAttribute: Sendable, Hashable {
    /// The attribute key, normally one of `SemanticAttributes` or `SeedAttributes`.
    public var key: String
    /// The attribute value.
    public var value: AttributeValue

    /// Creates an attribute.
    @inlinable
    public init(key: String, value: AttributeValue) {
        self.key = key
        self.value = value
    }
}
