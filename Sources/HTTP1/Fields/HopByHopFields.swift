/// The indices of the hop-by-hop fields a proxy must not forward (RFC 9110 §7.6.1).
///
/// These are Connection and every field it names, Keep-Alive, Proxy-Connection, TE, Transfer-Encoding, and Upgrade
/// unless the exchange is being tunnelled (RFC 9110 §7.8: the proxy forwards Upgrade when it relays the switch).
/// Iterating yields the indices in `fields` order; it allocates nothing.
public struct HopByHopFields: Sequence, Sendable {
    /// The fields to filter.
    public let fields: HTTP1Fields
    /// Whether Upgrade (and a Connection: upgrade option) is kept because the exchange may switch protocols.
    public let keepsUpgrade: Bool

    /// The hop-by-hop subset of `fields`.
    public init(_ fields: HTTP1Fields, keepsUpgrade: Bool = false) {
        self.fields = fields
        self.keepsUpgrade = keepsUpgrade
    }

    /// Whether field `index` is hop-by-hop.
    public func contains(_ index: Int) -> Bool {
        let name = fields[index].name
        if name.equalsIgnoringCase("connection") || name.equalsIgnoringCase("keep-alive")
            || name.equalsIgnoringCase("proxy-connection") || name.equalsIgnoringCase("te")
            || name.equalsIgnoringCase("transfer-encoding")
        {
            return true
        }
        if name.equalsIgnoringCase("upgrade") { return !keepsUpgrade }
        for i in fields.indices where fields.nameEquals(i, "connection") {
            for option in HTTP1TokenList(fields[i].value) where option.elementsEqualIgnoringCase(name) {
                return true
            }
        }
        return false
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

extension ArraySlice where Element == UInt8 {
    /// Whether two byte slices are equal ignoring ASCII case.
    func elementsEqualIgnoringCase(_ other: ArraySlice<UInt8>) -> Bool {
        guard count == other.count else { return false }
        var i = startIndex
        var j = other.startIndex
        while i < endIndex {
            if ASCII.lower(self[i]) != ASCII.lower(other[j]) { return false }
            i += 1
            j += 1
        }
        return true
    }
}
