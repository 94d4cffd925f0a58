/// A path pattern: a literal prefix (`/api/`) or a template whose `{name}` parts each capture one path segment.
///
/// Templates (`/jobs/{job.id}`, `/jobs/progress/{job.id}`) match the whole path, segment by segment; a capture
/// matches one non-empty segment and its value becomes a span attribute named after it. A prefix matches any
/// path that starts with it. Matching works on the raw path bytes and allocates nothing.
public struct RouteTemplate: Sendable, Equatable, CustomStringConvertible {
    /// One segment of a template.
    public enum Segment: Sendable, Equatable {
        /// A segment that must equal these bytes.
        case literal([UInt8])
        /// A segment captured under this name.
        case capture(String)
    }

    /// How the pattern matches.
    public enum Kind: Sendable, Equatable {
        /// Any path starting with the bytes.
        case prefix([UInt8])
        /// The whole path, segment by segment.
        case template([Segment])
    }

    /// The pattern's kind.
    public let kind: Kind
    /// The pattern as written, used as `http.route` and in span names.
    public let text: String

    public var description: String { text }

    /// The low-cardinality name used for `http.route` and span names: the template as written, or for a prefix the
    /// prefix followed by `*` (`/api/*`, `/*`), so a prefix route never looks like an exact path.
    public var routeName: String {
        guard case .prefix = kind else { return text }
        return text.hasSuffix("*") ? text : text + "*"
    }

    /// The names of the captures, in order.
    public var captureNames: [String] {
        guard case .template(let segments) = kind else { return [] }
        return segments.compactMap { if case .capture(let name) = $0 { return name } else { return nil } }
    }

    /// Parses a template (`/jobs/{id}`) or, with `isPrefix`, a literal prefix.
    /// - Returns: nil when the text does not start with `/`, or a capture is malformed (`{}`, `{a`, `x{a}`).
    public init?(_ text: String, isPrefix: Bool = false) {
        guard text.first == "/" else { return nil }
        self.text = text
        if isPrefix {
            guard !text.contains("{") else { return nil }
            kind = .prefix(Array(text.utf8))
            return
        }
        var segments: [Segment] = []
        for part in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            if part.first == "{" {
                guard part.last == "}", part.count > 2 else { return nil }
                let name = part.dropFirst().dropLast()
                guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" }) else { return nil }
                segments.append(.capture(String(name)))
            } else {
                guard !part.contains("{"), !part.contains("}") else { return nil }
                segments.append(.literal(Array(part.utf8)))
            }
        }
        kind = .template(segments)
    }

    /// Matches `path` (the request target's path, without the query) and reports each capture's byte range.
    ///
    /// - Parameter captures: called once per capture, in order, with the index into `captureNames` and the range.
    /// - Returns: true when the path matches.
    public func matches(_ path: UnsafeRawBufferPointer, captures: (Int, Range<Int>) -> Void = { _, _ in }) -> Bool {
        switch kind {
        case .prefix(let prefix):
            guard path.count >= prefix.count else { return false }
            for i in 0..<prefix.count where path[i] != prefix[i] { return false }
            return true
        case .template(let segments):
            guard path.first == UInt8(ascii: "/") else { return false }
            var position = 1
            var captureIndex = 0
            for (n, segment) in segments.enumerated() {
                var end = position
                while end < path.count && path[end] != UInt8(ascii: "/") { end += 1 }
                switch segment {
                case .literal(let bytes):
                    guard end - position == bytes.count else { return false }
                    for i in 0..<bytes.count where path[position + i] != bytes[i] { return false }
                case .capture:
                    guard end > position else { return false }
                    captures(captureIndex, position..<end)
                    captureIndex += 1
                }
                let isLast = n == segments.count - 1
                if isLast {
                    return end == path.count
                }
                guard end < path.count else { return false }
                position = end + 1
            }
            return path.count <= 1
        }
    }
}
