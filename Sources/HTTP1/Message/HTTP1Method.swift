/// A request method: the registered methods the proxy treats specially, or any other token as received.
///
/// Methods are case-sensitive (RFC 9110 §9.1), so `get` is `.other`.
public enum HTTP1Method: Sendable, Hashable {
    case get, head, post, put, delete, connect, options, trace, patch
    /// Any other method token, bytes as received.
    case other(ArraySlice<UInt8>)

    /// The method for a token, matching the known methods byte for byte.
    init(token: ArraySlice<UInt8>) {
        switch token.count {
        case 3:
            if token.elementsEqual("GET".utf8) { self = .get; return }
            if token.elementsEqual("PUT".utf8) { self = .put; return }
        case 4:
            if token.elementsEqual("POST".utf8) { self = .post; return }
            if token.elementsEqual("HEAD".utf8) { self = .head; return }
        case 5:
            if token.elementsEqual("PATCH".utf8) { self = .patch; return }
            if token.elementsEqual("TRACE".utf8) { self = .trace; return }
        case 6:
            if token.elementsEqual("DELETE".utf8) { self = .delete; return }
        case 7:
            if token.elementsEqual("CONNECT".utf8) { self = .connect; return }
            if token.elementsEqual("OPTIONS".utf8) { self = .options; return }
        default:
            break
        }
        self = .other(token)
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
