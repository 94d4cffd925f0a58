/// The indices of the hop-by-hop fields a proxy must not forward (RFC 9110 §7.6.1).
///
/// These are Connection and every field it names, Keep-Alive, Proxy-Connection, TE, Transfer-Encoding, and Upgrade
/// unless the exchange is being tunnelled (RFC 9110 §7.8: the proxy forwards Upgrade when it relays the switch).
/// Iterating yields the indices in `fields` order; nothing is allocated.
public struct HopByHopFields: Sequence, Sendable {
    /// The fields to filter.
    public let fields: HTTP1Fields
    /// Whether Upgrade is kept because the exchange may switch protocols.
    public let keepsUpgrade: Bool
    /// Whether any Connection field exists (if not, only the fixed names are hop-by-hop).
    private let hasConnection: Bool

    /// The hop-by-hop subset of `fields`.
    public init(_ fields: HTTP1Fields, keepsUpgrade: Bool = false) {
        self.fields = fields
        self.keepsUpgrade = keepsUpgrade
        var found = false
        fields.bytes.withUnsafeBufferPointer { p in
            for entry in fields.entries
            where ASCII.equalsIgnoringCase(p, Int(entry.nameStart), Int(entry.nameLength), "connection") {
                found = true
                break
            }
        }
        hasConnection = found
    }

    /// Whether field `index` is hop-by-hop.
    public func contains(_ index: Int) -> Bool {
        let entry = fields.entries[index]
        return fields.bytes.withUnsafeBufferPointer { p in
            let start = Int(entry.nameStart)
            let length = Int(entry.nameLength)
            switch length {
            case 2 where ASCII.equalsIgnoringCase(p, start, length, "te"): return true
            case 7 where ASCII.equalsIgnoringCase(p, start, length, "upgrade"): return !keepsUpgrade
            case 10 where ASCII.equalsIgnoringCase(p, start, length, "connection"),
                 10 where ASCII.equalsIgnoringCase(p, start, length, "keep-alive"),
                 16 where ASCII.equalsIgnoringCase(p, start, length, "proxy-connection"),
                 17 where ASCII.equalsIgnoringCase(p, start, length, "transfer-encoding"):
                return true
            default:
                break
            }
            guard hasConnection else { return false }
            for other in fields.entries
            where ASCII.equalsIgnoringCase(p, Int(other.nameStart), Int(other.nameLength), "connection") {
                var named = false
                let valueStart = Int(other.valueStart)
                FieldLineParser.forEachElement(p, valueStart, valueStart + Int(other.valueLength)) { s, e in
                    guard e - s == length else { return true }
                    for i in 0..<length where ASCII.lower(p[s + i]) != ASCII.lower(p[start + i]) { return true }
                    named = true
                    return false
                }
                if named { return true }
            }
            return false
        }
    }

    /// Walks the hop-by-hop indices in order.
    public func makeIterator() -> Iterator {
        Iterator(set: self, index: 0)
    }

    /// Yields the next hop-by-hop index.
    public struct Iterator: IteratorProtocol, Sendable {
        let set: HopByHopFields
        var index: Int

        /// The next index to strip, or nil.
        public mutating func next() -> Int? {
            while index < set.fields.count {
                defer { index += 1 }
                if set.contains(index) { return index }
            }
            return nil
        }
    }
}
