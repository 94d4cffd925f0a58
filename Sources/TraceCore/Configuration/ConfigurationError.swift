/// A tracing option with a value we cannot use; names the key, the value and what is allowed.
///
/// The integrator maps it to a start-up error line; the key is the option or environment variable name.
public enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `key` has `value`, which is not one of `allowed` (a human-readable list or range).
    case invalidValue(key: String, value: String, allowed: String)

    /// `invalid value "<value>" for <key>; allowed: <allowed>`.
    public var description: String {
        switch self {
        case .invalidValue(let key, let value, let allowed):
            return "invalid value \"\(value)\" for \(key); allowed: \(allowed)"
        }
    }
}
