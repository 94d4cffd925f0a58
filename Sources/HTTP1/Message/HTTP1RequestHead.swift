/// A parsed request line and header section, with the facts the proxy needs computed once.
///
/// Slices share the parser's storage; drop the head (or copy what you keep) before the next message so the parser can
/// reuse its storage without allocating.
public struct HTTP1RequestHead: Sendable {
    /// The method.
    public var method: HTTP1Method
    /// The request target split by form.
    public var target: HTTP1RequestTarget
    /// The raw request target as received.
    public var rawTarget: ArraySlice<UInt8>
    /// The protocol version (1.0 or 1.1).
    public var version: HTTP1Version
    /// The header fields, in order, bytes as received.
    public var fields: HTTP1Fields
    /// The effective authority: the absolute-form or authority-form authority, else the Host value (RFC 9112 §3.2.2).
    public var authority: ArraySlice<UInt8>?
    /// Whether the connection stays open after this exchange: 1.1 unless `Connection: close`, 1.0 only with
    /// `Connection: keep-alive` (RFC 9112 §9.3).
    public var keepAlive: Bool
    /// How the request body is delimited.
    public var framing: HTTP1BodyFraming
    /// Whether an HTTP/1.1 client sent `Expect: 100-continue` and waits for an interim response (RFC 9110 §10.1.1).
    public var expectsContinue: Bool
    /// The Upgrade value when the request asks to switch protocols (Upgrade plus `Connection: upgrade`, HTTP/1.1
    /// only, RFC 9110 §7.8); iterate it with `HTTP1TokenList`.
    public var upgradeProtocols: ArraySlice<UInt8>?

    /// Whether this request asks to switch protocols.
    public var isUpgradeRequest: Bool { upgradeProtocols != nil }
}
