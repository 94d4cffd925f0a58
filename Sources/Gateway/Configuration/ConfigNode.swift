/// A parsed configuration file as a plain tree, independent of the YAML library that produced it.
public indirect enum ConfigNode: Sendable, Equatable {
    /// A scalar, kept as written; typed parsing happens per key.
    case scalar(String)
    /// A sequence of nodes.
    case sequence([ConfigNode])
    /// A mapping, in file order.
    case mapping([(key: String, value: ConfigNode)])
    /// An explicit null (`~`, `null`, or an empty value).
    case null

    public static func == (lhs: ConfigNode, rhs: ConfigNode) -> Bool {
        switch (lhs, rhs) {
        case (.scalar(let a), .scalar(let b)): return a == b
        case (.sequence(let a), .sequence(let b)): return a == b
        case (.null, .null): return true
        case (.mapping(let a), .mapping(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The value for `key` in a mapping, or nil.
    public subscript(key: String) -> ConfigNode? {
        guard case .mapping(let pairs) = self else { return nil }
        return pairs.first(where: { $0.key == key })?.value
    }

    /// A scalar or a sequence of scalars flattened to one comma-separated string (for list-valued keys).
    public var flattenedScalar: String? {
        switch self {
        case .scalar(let s): return s
        case .sequence(let items):
            var parts: [String] = []
            for item in items {
                guard case .scalar(let s) = item else { return nil }
                parts.append(s)
            }
            return parts.joined(separator: ",")
        case .null: return ""
        case .mapping: return nil
        }
    }
}
