/// The value of a span, event, link or resource attribute (OpenTelemetry Common §Attribute).
///
/// Closed set of the spec's primitive and homogeneous-array types, so encoders switch over it statically.
public enum AttributeValue: Sendable, Hashable {
    /// A UTF-8 string.
    case string(String)
    /// A boolean.
    case bool(Bool)
    /// A signed 64-bit integer.
    case int(Int64)
    /// A double-precision float.
    case double(Double)
    /// An array of strings.
    case stringArray([String])
    /// An array of booleans.
    case boolArray([Bool])
    /// An array of 64-bit integers.
    case intArray([Int64])
    /// An array of doubles.
    case doubleArray([Double])
}

extension AttributeValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral
{
    /// A `.string` from a literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An `.int` from a literal.
    public init(integerLiteral value: Int64) { self = .int(value) }
    /// A `.bool` from a literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A `.double` from a literal.
    public init(floatLiteral value: Double) { self = .double(value) }
}
