/// The HTTP/1 minor versions this codec speaks (RFC 9112 §2.3); any other version is answered with 505.
public enum HTTP1Version: Sendable, Hashable {
    case http1_0
    case http1_1

    /// The version as it goes on the wire.
    var wireName: StaticString {
        switch self {
        case .http1_0: return "HTTP/1.0"
        case .http1_1: return "HTTP/1.1"
        }
    }
}
