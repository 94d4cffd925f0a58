/// Read access to request header fields for propagators, with no HTTP type and no allocation.
///
/// The gateway conforms its parsed header block and hands out each value as a byte view into its receive buffer,
/// so extraction builds no `Dictionary` or `String`. Field names are compared case-insensitively (RFC 9110 §5.1);
/// propagators always ask with lowercase ASCII names.
public protocol HeaderCarrier {
    /// Calls `body` with the raw bytes of every field named `name`, in the order they appear in the message.
    ///
    /// - Parameters:
    ///   - name: the field name in lowercase ASCII, e.g. `traceparent`.
    ///   - body: receives each value (without surrounding whitespace trimmed; propagators trim it themselves).
    func forEachValue(ofField name: StaticString, _ body: (UnsafeRawBufferPointer) -> Void)
}

/// Write access to outgoing header fields for propagators.
///
/// The gateway conforms its backend request writer so `inject` writes straight into the outgoing header block.
public protocol HeaderInjector {
    /// Sets field `name` (lowercase ASCII) to `value`, replacing any existing fields of that name.
    mutating func setField(_ name: StaticString, value: UnsafeRawBufferPointer)
}

extension HeaderInjector {
    /// Sets field `name` from a `String` value.
    @inlinable
    public mutating func setField(_ name: StaticString, value: String) {
        var value = value
        value.withUTF8 { setField(name, value: UnsafeRawBufferPointer($0)) }
    }
}

extension StaticString {
    /// Whether this ASCII name equals `other` ignoring ASCII case.
    @inlinable
    func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        let utf8 = other.utf8
        guard utf8.count == utf8CodeUnitCount else { return false }
        var index = 0
        for byte in utf8 {
            let mine = utf8Start[index]
            let lowered = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            let mineLowered = mine >= 0x41 && mine <= 0x5A ? mine | 0x20 : mine
            if lowered != mineLowered { return false }
            index += 1
        }
        return true
    }

    /// The name as a `String`.
    @inlinable
    var string: String { description }
}

/// `[String: String]` as a carrier, for tests and in-process use (keys compared case-insensitively).
extension Dictionary: HeaderCarrier where Key == String, Value == String {
    /// Calls `body` with the value of the key matching `name` ignoring case (a dictionary holds one value per key).
    public func forEachValue(ofField name: StaticString, _ body: (UnsafeRawBufferPointer) -> Void) {
        for (key, value) in self where name.equalsIgnoringASCIICase(key) {
            var value = value
            value.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
    }
}

extension Dictionary: HeaderInjector where Key == String, Value == String {
    /// Removes keys matching `name` ignoring case, then stores the value under the lowercase name.
    public mutating func setField(_ name: StaticString, value: UnsafeRawBufferPointer) {
        for key in keys where name.equalsIgnoringASCIICase(key) { removeValue(forKey: key) }
        self[name.string] = String(decoding: value, as: UTF8.self)
    }
}

/// An ordered list of header fields that may repeat a name: the carrier for tests and library users that need
/// multiple `tracestate` or `baggage` fields.
public struct HeaderFieldList: HeaderCarrier, HeaderInjector, Sendable, Hashable {
    /// One field.
    public struct Field: Sendable, Hashable {
        /// The field name as sent.
        public var name: String
        /// The field value.
        public var value: String

        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The fields in order.
    public var fields: [Field]

    /// Creates a list from `(name, value)` pairs.
    public init(_ fields: [(String, String)] = []) {
        self.fields = fields.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first value of `name` (case-insensitive), if any.
    public subscript(name: String) -> String? {
        fields.first(where: { $0.name.lowercased() == name.lowercased() })?.value
    }

    /// Calls `body` with every value named `name`, in order.
    public func forEachValue(ofField name: StaticString, _ body: (UnsafeRawBufferPointer) -> Void) {
        for field in fields where name.equalsIgnoringASCIICase(field.name) {
            var value = field.value
            value.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
    }

    /// Replaces every field named `name` with one field at the end.
    public mutating func setField(_ name: StaticString, value: UnsafeRawBufferPointer) {
        fields.removeAll(where: { name.equalsIgnoringASCIICase($0.name) })
        fields.append(Field(name: name.string, value: String(decoding: value, as: UTF8.self)))
    }
}
