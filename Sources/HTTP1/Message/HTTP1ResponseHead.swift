/// A parsed status line and header section of a backend response.
///
/// Slices share the parser's storage; see `HTTP1RequestHead` about reuse.
public struct HTTP1ResponseHead: Sendable {
    /// The protocol version (1.0 or 1.1).
    public var version: HTTP1Version
    /// The three-digit status code.
    public var status: Int
    /// The reason phrase as received (may be empty).
    public var reason: ArraySlice<UInt8>
    /// The header fields, in order, bytes as received.
    public var fields: HTTP1Fields
    /// Whether the backend connection can be reused after this response (false for close-delimited bodies and for
    /// Content-Length with Transfer-Encoding, RFC 9112 §6.3 item 3).
    public var keepAlive: Bool
    /// How the response body is delimited, given the request method (RFC 9112 §6.3).
    public var framing: HTTP1BodyFraming
}
