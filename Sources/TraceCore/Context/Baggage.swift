/// User-defined key/value pairs propagated with a request (W3C Baggage; OpenTelemetry Baggage API).
///
/// Values are stored decoded; `BaggagePropagator` percent-encodes them on output. Order is preserved.
public struct Baggage: Sendable, Hashable {
    /// One baggage member.
    public struct Entry: Sendable, Hashable {
        /// The member key (an RFC 9110 token).
        public var key: String
        /// The decoded value.
        public var value: String
        /// The raw property list after the value (`;`-separated, without the leading `;`), kept opaque.
        public var metadata: String?

        /// Creates an entry.
        public init(key: String, value: String, metadata: String? = nil) {
            self.key = key
            self.value = value
            self.metadata = metadata
        }
    }

    /// The members in order.
    public var entries: [Entry]

    /// Empty baggage.
    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// Whether there are no members.
    public var isEmpty: Bool { entries.isEmpty }

    /// The value for `key`, if present.
    public subscript(key: String) -> String? {
        entries.first(where: { $0.key == key })?.value
    }

    /// Sets `key`, replacing an existing entry in place or appending.
    public mutating func set(_ key: String, _ value: String, metadata: String? = nil) {
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index] = Entry(key: key, value: value, metadata: metadata)
        } else {
            entries.append(Entry(key: key, value: value, metadata: metadata))
        }
    }

    /// Removes `key` if present.
    public mutating func remove(_ key: String) {
        entries.removeAll(where: { $0.key == key })
    }
}
