/// Bounds applied to an attribute list (OpenTelemetry SDK §Attribute Limits).
public struct AttributeLimits: Sendable, Hashable {
    /// Most attributes kept; further new keys are dropped and counted. Default 128 (`OTEL_ATTRIBUTE_COUNT_LIMIT`).
    public var countLimit: Int
    /// Longest string value, in UTF-8 bytes; longer strings (and string-array elements) are cut back to a Unicode
    /// scalar boundary. Default unlimited (`OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`). Counting bytes rather than
    /// characters bounds memory and encoder output directly.
    public var valueLengthLimit: Int

    /// Creates limits; the defaults are the specification's.
    public init(countLimit: Int = 128, valueLengthLimit: Int = .max) {
        self.countLimit = max(0, countLimit)
        self.valueLengthLimit = max(0, valueLengthLimit)
    }

    /// The specification defaults.
    public static let `default` = AttributeLimits()
}
