/// How the body of a message is delimited, decided once from its head (RFC 9112 §6.3).
public enum HTTP1BodyFraming: Sendable, Hashable {
    /// No body follows the head.
    case none
    /// Exactly this many bytes follow.
    case contentLength(Int)
    /// The chunked transfer coding (RFC 9112 §7.1).
    case chunked
    /// Responses only: the body runs until the connection closes (RFC 9112 §6.3 item 8).
    case untilClose
}
