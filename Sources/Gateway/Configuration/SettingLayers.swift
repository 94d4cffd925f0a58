/// Raw configuration text per canonical key, keeping for each key the value from the highest-precedence origin.
///
/// Layers are applied in any order; `set` keeps a value only if its origin does not rank below the current one
/// (flags > environment > file > default), so the precedence rule lives here and nowhere else.
public struct SettingLayers: Sendable {
    /// One raw value and where it came from.
    public struct Entry: Sendable, Equatable {
        /// The value as written.
        public var text: String
        /// Where it was written.
        public var origin: ConfigOrigin
    }

    private var entries: [String: Entry] = [:]

    /// Creates empty layers (every key at its default).
    public init() {}

    /// Records `text` for `key` from `origin` unless a higher-precedence origin already set it.
    public mutating func set(_ key: String, _ text: String, from origin: ConfigOrigin) {
        if let existing = entries[key], existing.origin.precedence > origin.precedence { return }
        entries[key] = Entry(text: text, origin: origin)
    }

    /// The winning entry for `key`, or nil when only the default applies.
    public func entry(_ key: String) -> Entry? { entries[key] }
}
