/// The request target in one of the four forms of RFC 9112 §3.2, split into slices of the received bytes.
public enum HTTP1RequestTarget: Sendable, Hashable {
    /// `absolute-path [ "?" query ]` (RFC 9112 §3.2.1), the usual form.
    case origin(pathAndQuery: ArraySlice<UInt8>)
    /// `scheme "://" authority path-abempty [ "?" query ]` (RFC 9112 §3.2.2). The authority replaces Host; an empty
    /// path means "/".
    case absolute(scheme: ArraySlice<UInt8>, authority: ArraySlice<UInt8>, pathAndQuery: ArraySlice<UInt8>)
    /// `host ":" port`, only with CONNECT (RFC 9112 §3.2.3).
    case authority(ArraySlice<UInt8>)
    /// `*`, only with OPTIONS (RFC 9112 §3.2.4).
    case asterisk
}
