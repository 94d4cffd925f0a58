/// An ordered list of field lines whose names and values are kept byte for byte as received.
///
/// The bytes live in one reused array (RFC 9110 §5.3: order matters, names compare case-insensitively). The parser
/// fills one instance per message and hands out copies that share its storage; once the caller drops them the parser
/// reuses the storage in place, so a warm parser allocates nothing per message.
public struct HTTP1Fields: Sendable, RandomAccessCollection {
    /// Where one field's name and value sit in `bytes`.
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var nameStart: Int32
        @usableFromInline var nameLength: Int32
        @usableFromInline var valueStart: Int32
        @usableFromInline var valueLength: Int32
    }

    /// Backing bytes; for parsed heads this also holds the start line.
    @usableFromInline var bytes: [UInt8]
    @usableFromInline var entries: [Entry]

    /// An empty list.
    public init() {
        bytes = []
        entries = []
    }

    /// An empty list with room for `byteCapacity` bytes and `fieldCapacity` fields, so appends do not reallocate.
    public init(byteCapacity: Int, fieldCapacity: Int) {
        bytes = []
        bytes.reserveCapacity(byteCapacity)
        entries = []
        entries.reserveCapacity(fieldCapacity)
    }

    /// Position of the first field.
    public var startIndex: Int { 0 }
    /// One past the last field.
    public var endIndex: Int { entries.count }

    /// The field at `position`, as slices sharing this list's storage.
    @inlinable
    public subscript(position: Int) -> HTTP1Field {
        let e = entries[position]
        return HTTP1Field(
            name: bytes[Int(e.nameStart)..<Int(e.nameStart + e.nameLength)],
            value: bytes[Int(e.valueStart)..<Int(e.valueStart + e.valueLength)]
        )
    }

    /// The index of the first field called `name` (ASCII case-insensitive), or nil.
    public func firstIndex(named name: String) -> Int? {
        var index = 0
        while index < entries.count {
            if nameEquals(index, name) { return index }
            index += 1
        }
        return nil
    }

    /// The length in bytes of field `index`'s name: a test that rules out most names before comparing bytes.
    @inlinable
    public func nameLength(_ index: Int) -> Int { Int(entries[index].nameLength) }

    /// Whether field `index` is called `name`, ignoring ASCII case.
    ///
    /// Disfavoured, so a literal name takes the `StaticString` overload: copying a `String` to read its bytes costs
    /// a retain and a release per call (about 30 per proxied request when every fixed name came this way).
    @_disfavoredOverload
    public func nameEquals(_ index: Int, _ name: String) -> Bool {
        var name = name
        return name.withUTF8 { nameEquals(index, utf8: $0) }
    }

    /// Whether field `index` is called `name`, ignoring ASCII case (a fixed name: no reference counting).
    ///
    /// Inlined into the caller, so the length test (which settles nearly every call) costs no call.
    @inlinable
    public func nameEquals(_ index: Int, _ name: StaticString) -> Bool {
        guard Int(entries[index].nameLength) == name.utf8CodeUnitCount else { return false }
        return nameEquals(index, utf8: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }

    /// Whether field `index`'s name equals the UTF-8 bytes `other`, ignoring ASCII case.
    @usableFromInline
    func nameEquals(_ index: Int, utf8 other: UnsafeBufferPointer<UInt8>) -> Bool {
        let e = entries[index]
        guard other.count == Int(e.nameLength) else { return false }
        return bytes.withUnsafeBufferPointer { base in
            var i = 0
            let start = Int(e.nameStart)
            while i < other.count {
                if ASCII.lower(base[start + i]) != ASCII.lower(other[i]) { return false }
                i += 1
            }
            return true
        }
    }

    /// The value of the first field called `name` (a fixed name: no reference counting), or nil.
    @inlinable
    public func firstValue(named name: StaticString) -> ArraySlice<UInt8>? {
        var index = 0
        while index < entries.count {
            if nameEquals(index, name) { return self[index].value }
            index += 1
        }
        return nil
    }

    /// The value of the first field called `name`, or nil.
    ///
    /// A bare literal name resolves to this overload (`@_disfavoredOverload` did not change that here); write
    /// `"name" as StaticString` for the one that copies no `String`.
    public func firstValue(named name: String) -> ArraySlice<UInt8>? {
        firstIndex(named: name).map { self[$0].value }
    }

    /// How many field lines are called `name`.
    public func count(named name: String) -> Int {
        var n = 0
        for i in 0..<entries.count where nameEquals(i, name) { n += 1 }
        return n
    }

    /// Appends a field; the caller must pass a token name and a value without CR, LF or NUL (RFC 9110 §5).
    public mutating func append(name: some Collection<UInt8>, value: some Collection<UInt8>) {
        let nameStart = bytes.count
        bytes.append(contentsOf: name)
        let valueStart = bytes.count
        bytes.append(contentsOf: value)
        entries.append(Entry(
            nameStart: Int32(nameStart), nameLength: Int32(valueStart - nameStart),
            valueStart: Int32(valueStart), valueLength: Int32(bytes.count - valueStart)
        ))
    }

    /// Appends a field from strings; see `append(name:value:)`.
    public mutating func append(name: String, value: String) {
        append(name: name.utf8, value: value.utf8)
    }

    /// Removes every field, keeping the storage for reuse.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }

    /// Records a field whose bytes are already in `bytes` (parser use).
    @inline(__always)
    mutating func record(nameStart: Int, nameLength: Int, valueStart: Int, valueLength: Int) {
        entries.append(Entry(
            nameStart: Int32(truncatingIfNeeded: nameStart), nameLength: Int32(truncatingIfNeeded: nameLength),
            valueStart: Int32(truncatingIfNeeded: valueStart), valueLength: Int32(truncatingIfNeeded: valueLength)
        ))
    }
}

/// One field line: name and value slices sharing the list's storage, exactly as received.
public struct HTTP1Field: Sendable, Hashable {
    /// The field name, case as received.
    public var name: ArraySlice<UInt8>
    /// The field value with leading and trailing whitespace removed (RFC 9112 §5.1).
    public var value: ArraySlice<UInt8>

    /// A field from slices.
    @inlinable
    public init(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>) {
        self.name = name
        self.value = value
    }
}

extension ArraySlice where Element == UInt8 {
    /// Whether these bytes equal `text`, ignoring ASCII case (for field names and tokens).
    public func equalsIgnoringCase(_ text: String) -> Bool {
        guard count == text.utf8.count else { return false }
        var i = startIndex
        for b in text.utf8 {
            if ASCII.lower(self[i]) != ASCII.lower(b) { return false }
            i += 1
        }
        return true
    }
}
