/// The HTTP/1 minor versions this codec speaks (RFC 9112 §2.3); any other version is answered with 505.
public enum HTTP1Version: Sendable, Hashable {
    /// HTTP/1.0: connections close unless the peer sends `Connection: keep-alive` (RFC 9112 §9.3, appendix C.2.2).
    case http1_0
    /// HTTP/1.1 (RFC 9112).
    case http1_1

    /// The version as it goes on the wire.
    var wireName: StaticString {
        switch self {
        case .http1_0: return "HTTP/1.0"
        case .http1_1: return "HTTP/1.1"
        }
    }
}

extension HTTP1Version {
    /// Parses `HTTP/1.0` or `HTTP/1.1` from `p[start..<end]`; other `HTTP/d.d` versions are 505, anything else 400
    /// (RFC 9112 §2.3: the version is case-sensitive). Returns the rule broken, or nil with `version` set.
    static func parse(
        _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into version: inout HTTP1Version
    ) -> HTTP1ParseError.Kind? {
        guard end - start == 8, p[start] == UInt8(ascii: "H"), p[start + 1] == UInt8(ascii: "T"),
              p[start + 2] == UInt8(ascii: "T"), p[start + 3] == UInt8(ascii: "P"),
              p[start + 4] == ASCII.slash, ASCII.isDigit(p[start + 5]), p[start + 6] == UInt8(ascii: "."),
              ASCII.isDigit(p[start + 7])
        else { return .invalidVersion }
        guard p[start + 5] == UInt8(ascii: "1") else { return .unsupportedVersion }
        switch p[start + 7] {
        case UInt8(ascii: "1"): version = .http1_1
        case UInt8(ascii: "0"): version = .http1_0
        default: return .unsupportedVersion
        }
        return nil
    }
}
