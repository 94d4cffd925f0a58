/// One HTTP/2 header or trailer field, pseudo-header (":status") or regular; names are lowercase (RFC 9113 §8.2).
public struct HTTP2Field: Sendable, Hashable {
    /// The lowercase field name, pseudo-headers with their leading colon.
    public var name: String
    /// The field value.
    public var value: String

    /// Creates a field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == HTTP2Field {
    /// The value of the first field named `name` (lowercase), if any.
    public func first(named name: String) -> String? {
        first { $0.name == name }?.value
    }
}
