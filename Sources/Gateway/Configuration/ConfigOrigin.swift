/// Where a configuration value came from, for error messages and `--print-config`.
///
/// Precedence, lowest first: built-in default, configuration file, environment, command-line flag.
public enum ConfigOrigin: Sendable, Equatable, CustomStringConvertible {
    /// The built-in default.
    case builtInDefault
    /// A key in the YAML configuration file.
    case file(path: String, key: String)
    /// A process environment variable.
    case environment(name: String)
    /// A command-line flag.
    case flag(name: String)

    /// How strongly this origin overrides the others; higher wins.
    public var precedence: Int {
        switch self {
        case .builtInDefault: return 0
        case .file: return 1
        case .environment: return 2
        case .flag: return 3
        }
    }

    /// The name a user would search for: the flag, the variable, or `key` in `path`.
    public var keyName: String {
        switch self {
        case .builtInDefault: return "default"
        case .file(_, let key): return key
        case .environment(let name): return name
        case .flag(let name): return name
        }
    }

    public var description: String {
        switch self {
        case .builtInDefault: return "default"
        case .file(let path, let key): return "file \(path) (key \(key))"
        case .environment(let name): return "environment \(name)"
        case .flag(let name): return "flag \(name)"
        }
    }
}
