/// The key of an attribute: a compile-time literal (stored as a pointer to its bytes, no reference counting) or a
/// string built at run time (its bytes are copied into the attribute list).
///
/// `SemanticAttributes` and `SeedAttributes` keys are literals, so setting them costs one pointer store. Write a
/// literal where an `AttributeKey` is expected (`"job.id"`), or wrap a run-time string: `AttributeKey(name)`.
public struct AttributeKey: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    @usableFromInline
    enum Storage: Sendable {
        case literal(StaticString)
        case runtime(String)
    }

    @usableFromInline let storage: Storage

    /// A key from a literal.
    @inlinable
    public init(stringLiteral value: StaticString) {
        storage = .literal(value)
    }

    /// A key from a literal of one character.
    @inlinable
    public init(unicodeScalarLiteral value: StaticString) {
        storage = .literal(value)
    }

    /// A key from a literal of one grapheme.
    @inlinable
    public init(extendedGraphemeClusterLiteral value: StaticString) {
        storage = .literal(value)
    }

    /// A key from a run-time string (its bytes are copied wherever the key is stored).
    @inlinable
    public init(_ name: String) {
        storage = .runtime(name)
    }

    /// The key as a `String`.
    public var name: String {
        switch storage {
        case .literal(let literal): return literal.description
        case .runtime(let name): return name
        }
    }

    /// The key as a `String` (same as `name`).
    public var description: String { name }

    /// The literal's UTF-8 bytes when the key is a multi-byte literal (stable for the life of the process), else nil.
    @inlinable
    var literalBytes: UnsafeRawBufferPointer? {
        if case .literal(let literal) = storage, literal.hasPointerRepresentation {
            return UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        }
        return nil
    }

    /// Calls `body` with the key's UTF-8 bytes.
    @inlinable
    public func withUTF8<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        switch storage {
        case .literal(let literal):
            return literal.withUTF8Buffer { body(UnsafeRawBufferPointer($0)) }
        case .runtime(var name):
            return name.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
    }

    /// Keys are equal when their bytes are.
    public static func == (lhs: AttributeKey, rhs: AttributeKey) -> Bool {
        lhs.withUTF8 { l in rhs.withUTF8 { r in l.elementsEqual(r) } }
    }

    /// Hashes the key's bytes.
    public func hash(into hasher: inout Hasher) {
        withUTF8 { hasher.combine(bytes: $0) }
    }
}
