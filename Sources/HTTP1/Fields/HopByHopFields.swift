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
    /// Bit `i` set: field `i` is hop-by-hop, for the first `maskedFieldCount` fields, all decided in `init`.
    private let mask: UInt64
    /// Fields covered by `mask`; later ones (a head of more than 64 fields) are decided per call.
    private static var maskedFieldCount: Int { 64 }

    /// The hop-by-hop subset of `fields`.
    ///
    /// Decides the first 64 fields at once: one pass over the names, then, only when a Connection field exists,
    /// one pass over its options against the fields no fixed name decided. (Asking per field re-read every
    /// Connection value for every field: a backend's `Connection: keep-alive` made a five-field response head cost
    /// five scans.)
    public init(_ fields: HTTP1Fields, keepsUpgrade: Bool = false) {
        self.fields = fields
        self.keepsUpgrade = keepsUpgrade
        var found = false
        var mask: UInt64 = 0
        var undecided: UInt64 = 0
        // Both arrays read through buffer pointers: iterating `entries` itself retained and released its storage.
        fields.bytes.withUnsafeBufferPointer { p in
            fields.entries.withUnsafeBufferPointer { entries in
                for index in 0..<entries.count {
                    let start = Int(entries[index].nameStart)
                    let length = Int(entries[index].nameLength)
                    let isConnection = Self.isConnection(p, start, length)
                    if isConnection { found = true }
                    guard index < Self.maskedFieldCount else { continue }
                    let bit: UInt64 = 1 &<< UInt64(index)
                    if isConnection {
                        mask |= bit
                    } else if let fixed = Self.fixedName(p, start, length, keepsUpgrade: keepsUpgrade) {
                        if fixed { mask |= bit }
                    } else {
                        undecided |= bit
                    }
                }
                guard found, undecided != 0 else { return }
                for connection in entries where Self.isConnection(p, Int(connection.nameStart), Int(connection.nameLength)) {
                    let valueStart = Int(connection.valueStart)
                    FieldLineParser.forEachElement(p, valueStart, valueStart + Int(connection.valueLength)) { s, e in
                        var candidates = undecided
                        while candidates != 0 {
                            let index = candidates.trailingZeroBitCount
                            candidates &= candidates &- 1
                            let entry = entries[index]
                            if Self.nameEquals(p, Int(entry.nameStart), Int(entry.nameLength), option: s, e) {
                                mask |= 1 &<< UInt64(index)
                                undecided &= ~(1 &<< UInt64(index))
                            }
                        }
                        return undecided != 0
                    }
                }
            }
        }
        hasConnection = found
        self.mask = mask
    }

    /// Whether a field named like this is hop-by-hop by its name alone (`Upgrade` only when not tunnelling); nil
    /// when only a Connection option could make it one.
    ///
    /// Compares whole words: a name's bytes OR 0x20 equal the lowercase name's exactly when the name matches
    /// ignoring case, because field names are tokens (for a letter, OR 0x20 only folds its case; `-` could only be
    /// confused with CR, which no field name holds).
    @inline(__always)
    private static func fixedName(
        _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int, keepsUpgrade: Bool
    ) -> Bool? {
        guard let first = p.baseAddress else { return nil }
        let name = UnsafeRawPointer(first + start)
        switch length {
        case 2:
            return name.loadUnaligned(as: UInt16.self) | 0x2020 == 0x6574 ? true : nil  // te
        case 7:
            let head = name.loadUnaligned(as: UInt32.self) | 0x2020_2020
            let tail = name.loadUnaligned(fromByteOffset: 3, as: UInt32.self) | 0x2020_2020
            return head == 0x7267_7075 && tail == 0x6564_6172 ? !keepsUpgrade : nil  // upgr, rade
        case 10:
            if isConnection(p, start, length) { return true }
            let head = name.loadUnaligned(as: UInt64.self) | 0x2020_2020_2020_2020
            let tail = name.loadUnaligned(fromByteOffset: 8, as: UInt16.self) | 0x2020
            return head == 0x696c_612d_7065_656b && tail == 0x6576 ? true : nil  // keep-ali, ve
        case 16:
            let head = name.loadUnaligned(as: UInt64.self) | 0x2020_2020_2020_2020
            let tail = name.loadUnaligned(fromByteOffset: 8, as: UInt64.self) | 0x2020_2020_2020_2020
            return head == 0x6f63_2d79_786f_7270 && tail == 0x6e6f_6974_6365_6e6e ? true : nil  // proxy-co, nnection
        case 17:
            let head = name.loadUnaligned(as: UInt64.self) | 0x2020_2020_2020_2020
            let middle = name.loadUnaligned(fromByteOffset: 8, as: UInt64.self) | 0x2020_2020_2020_2020
            let last = name.load(fromByteOffset: 16, as: UInt8.self) | 0x20
            // transfer, -encodin, g
            return head == 0x7265_6673_6e61_7274 && middle == 0x6e69_646f_636e_652d && last == 0x67 ? true : nil
        default:
            return nil
        }
    }

    /// Whether the field name at `start..<start+length` is `Connection`, ignoring case (see `fixedName`).
    @inline(__always)
    private static func isConnection(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> Bool {
        guard length == 10, let first = p.baseAddress else { return false }
        let name = UnsafeRawPointer(first + start)
        return name.loadUnaligned(as: UInt64.self) | 0x2020_2020_2020_2020 == 0x6974_6365_6e6e_6f63
            && name.loadUnaligned(fromByteOffset: 8, as: UInt16.self) | 0x2020 == 0x6e6f
    }

    /// Whether the field name at `start..<start+length` equals the Connection option at `s..<e`, ignoring case.
    @inline(__always)
    private static func nameEquals(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int, option s: Int, _ e: Int) -> Bool {
        guard e - s == length else { return false }
        for i in 0..<length where ASCII.lower(p[s + i]) != ASCII.lower(p[start + i]) { return false }
        return true
    }

    /// Whether field `index` is hop-by-hop.
    public func contains(_ index: Int) -> Bool {
        if index < Self.maskedFieldCount { return mask & (1 &<< UInt64(index)) != 0 }
        let entry = fields.entries[index]
        return fields.bytes.withUnsafeBufferPointer { p in
            let start = Int(entry.nameStart)
            let length = Int(entry.nameLength)
            if let fixed = Self.fixedName(p, start, length, keepsUpgrade: keepsUpgrade) { return fixed }
            guard hasConnection else { return false }
            for other in fields.entries where Self.isConnection(p, Int(other.nameStart), Int(other.nameLength)) {
                var named = false
                let valueStart = Int(other.valueStart)
                FieldLineParser.forEachElement(p, valueStart, valueStart + Int(other.valueLength)) { s, e in
                    named = Self.nameEquals(p, start, length, option: s, e)
                    return !named
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
