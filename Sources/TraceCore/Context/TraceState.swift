/// Vendor-specific trace data carried beside the trace context: an ordered list of `key=value` members.
///
/// W3C Trace Context §3.3. Parsing and the header limits live in `TraceContextPropagator`; this type only holds
/// the members in order (most recently updated first, §3.3.1.3) and formats them.
public struct TraceState: Sendable {
    /// The members in header order; the first is the most recently updated.
    public var members: [(key: String, value: String)]

    /// An empty trace state.
    public init() {
        members = []
    }

    /// A trace state with the given members, in order. No validation is done here.
    public init(members: [(key: String, value: String)]) {
        self.members = members
    }

    /// Whether there are no members.
    @inlinable
    public var isEmpty: Bool { members.isEmpty }

    /// The value for `key`, if present.
    public subscript(key: String) -> String? {
        members.first(where: { $0.key == key })?.value
    }

    /// Adds or updates `key`, moving it to the front as §3.3.1.3 requires for modified members.
    public mutating func set(_ key: String, _ value: String) {
        remove(key)
        members.insert((key: key, value: value), at: 0)
    }

    /// Removes `key` if present.
    public mutating func remove(_ key: String) {
        members.removeAll(where: { $0.key == key })
    }

    /// The header value: members joined as `key=value` with `,` and no spaces (§3.3.1).
    public var headerValue: String {
        var result = ""
        var first = true
        for member in members {
            if !first { result.append(",") }
            first = false
            result.append(member.key)
            result.append("=")
            result.append(member.value)
        }
        return result
    }
}

extension TraceState: Equatable {
    /// Two trace states are equal when they hold the same members in the same order.
    public static func == (lhs: TraceState, rhs: TraceState) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
