/// The `String` for the most recent byte sequence seen, rebuilt only when the bytes change.
///
/// Keep-alive clients repeat the same Host, User-Agent and often the same path on every request; comparing a few
/// bytes is far cheaper than decoding a new `String` (and allocating one above 15 bytes) per request.
struct MemoizedString {
    private var bytes: [UInt8] = []
    private var string = ""
    private var isSet = false

    /// The string stored for `source`, or nil when `source` differs from the stored bytes.
    func cached(for source: ArraySlice<UInt8>) -> String? {
        guard isSet, bytes.count == source.count else { return nil }
        let equal = bytes.withUnsafeBufferPointer { stored in
            source.withUnsafeBufferPointer { incoming in
                var index = 0
                while index < stored.count {
                    if stored[index] != incoming[index] { return false }
                    index &+= 1
                }
                return true
            }
        }
        return equal ? string : nil
    }

    /// Stores `string` as the value for `source`.
    mutating func store(_ string: String, for source: ArraySlice<UInt8>) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: source)
        self.string = string
        isSet = true
    }

    /// The string for `source` decoded as UTF-8, reused when `source` equals the previous bytes.
    mutating func string(for source: ArraySlice<UInt8>) -> String {
        if let cached = cached(for: source) { return cached }
        let decoded = String(decoding: source, as: UTF8.self)
        store(decoded, for: source)
        return decoded
    }

    /// Forgets the stored value (its derivation changed, e.g. a new backend prefix).
    mutating func reset() { isSet = false }
}
