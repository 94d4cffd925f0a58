/// The elements of a comma-separated field value such as Connection, Transfer-Encoding or Upgrade.
///
/// Splits on commas, trims optional whitespace and skips empty elements, as RFC 9110 §5.6.1 requires recipients to
/// do. Elements are slices of the value; nothing is copied. Compare them with `equalsIgnoringCase(_:)` (tokens are
/// case-insensitive, RFC 9110 §7.6.1, §7.8).
public struct HTTP1TokenList: Sequence, Sendable {
    /// The field value being split.
    public let value: ArraySlice<UInt8>

    /// A list over `value`.
    public init(_ value: ArraySlice<UInt8>) {
        self.value = value
    }

    /// Whether any element equals `token`, ignoring case.
    public func contains(_ token: String) -> Bool {
        for element in self where element.equalsIgnoringCase(token) { return true }
        return false
    }

    /// Walks the elements in order.
    public func makeIterator() -> Iterator {
        Iterator(value: value, position: value.startIndex)
    }

    /// Yields one trimmed, non-empty element per call.
    public struct Iterator: IteratorProtocol, Sendable {
        let value: ArraySlice<UInt8>
        var position: Int

        /// The next element, or nil at the end.
        public mutating func next() -> ArraySlice<UInt8>? {
            while position < value.endIndex {
                var end = position
                while end < value.endIndex && value[end] != ASCII.comma { end += 1 }
                var start = position
                var last = end
                position = end + 1
                while start < last && ASCII.isWhitespace(value[start]) { start += 1 }
                while last > start && ASCII.isWhitespace(value[last - 1]) { last -= 1 }
                if start < last { return value[start..<last] }
            }
            return nil
        }
    }
}
