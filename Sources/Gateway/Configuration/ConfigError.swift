/// A configuration problem that stops start-up, with everything a user needs to fix it.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    /// A value that cannot be used: names the key, the value, where it came from and what is allowed.
    case invalidValue(key: String, value: String, origin: ConfigOrigin, allowed: String)
    /// A key the configuration file does not know.
    case unknownKey(key: String, path: String, known: [String])
    /// A required setting that nobody set.
    case missingValue(key: String, hint: String)
    /// The configuration file could not be read or parsed.
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidValue(let key, let value, let origin, let allowed):
            return "configuration error: \(key): value \"\(value)\" from \(origin) is invalid; allowed: \(allowed)"
        case .unknownKey(let key, let path, let known):
            return "configuration error: unknown key \"\(key)\" in \(path); known keys: \(known.joined(separator: ", "))"
        case .missingValue(let key, let hint):
            return "configuration error: \(key) is required: \(hint)"
        case .unreadableFile(let path, let reason):
            return "configuration error: cannot read \(path): \(reason)"
        }
    }
}
