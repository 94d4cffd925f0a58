import Glibc

/// A request method: the registered methods the proxy treats specially, or any other token as received.
///
/// Methods are case-sensitive (RFC 9110 §9.1), so `get` is `.other`.
public enum HTTP1Method: Sendable, Hashable {
    /// GET (RFC 9110 §9.3.1).
    case get
    /// HEAD: the response has no body (RFC 9110 §9.3.2, RFC 9112 §6.3).
    case head
    /// POST (RFC 9110 §9.3.3).
    case post
    /// PUT (RFC 9110 §9.3.4).
    case put
    /// DELETE (RFC 9110 §9.3.5).
    case delete
    /// CONNECT: authority-form target, a 2xx answer starts a tunnel (RFC 9110 §9.3.6).
    case connect
    /// OPTIONS: the only method allowed the asterisk form (RFC 9110 §9.3.7).
    case options
    /// TRACE (RFC 9110 §9.3.8).
    case trace
    /// PATCH (RFC 5789).
    case patch
    /// Any other method token, bytes as received.
    case other(ArraySlice<UInt8>)

    /// The method for a token, matching the known methods byte for byte.
    init(token: ArraySlice<UInt8>) {
        let known: HTTP1Method? = token.withUnsafeBufferPointer { p in
            @inline(__always) func matches(_ name: StaticString) -> Bool {
                name.utf8CodeUnitCount == p.count && memcmp(p.baseAddress!, name.utf8Start, p.count) == 0
            }
            switch p.count {
            case 3: return matches("GET") ? .get : matches("PUT") ? .put : nil
            case 4: return matches("POST") ? .post : matches("HEAD") ? .head : nil
            case 5: return matches("PATCH") ? .patch : matches("TRACE") ? .trace : nil
            case 6: return matches("DELETE") ? .delete : nil
            case 7: return matches("CONNECT") ? .connect : matches("OPTIONS") ? .options : nil
            default: return nil
            }
        }
        self = known ?? .other(token)
    }

    /// The method name as it goes on the wire.
    public var name: String {
        switch self {
        case .get: return "GET"
        case .head: return "HEAD"
        case .post: return "POST"
        case .put: return "PUT"
        case .delete: return "DELETE"
        case .connect: return "CONNECT"
        case .options: return "OPTIONS"
        case .trace: return "TRACE"
        case .patch: return "PATCH"
        case .other(let bytes): return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Whether this is one of the registered methods listed above (not `.other`).
    public var isStandard: Bool {
        if case .other = self { return false }
        return true
    }

    /// The wire name of a known method without allocating; nil for `.other`.
    var staticName: StaticString? {
        switch self {
        case .get: return "GET"
        case .head: return "HEAD"
        case .post: return "POST"
        case .put: return "PUT"
        case .delete: return "DELETE"
        case .connect: return "CONNECT"
        case .options: return "OPTIONS"
        case .trace: return "TRACE"
        case .patch: return "PATCH"
        case .other: return nil
        }
    }
}
