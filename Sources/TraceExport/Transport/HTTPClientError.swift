import NetIO

/// Why a request got no response: the collector is unreachable, slow, or spoke something we cannot read.
///
/// Every case is retryable from the exporter's point of view (OTLP spec: transient network failures may be retried).
public enum HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// The host name did not resolve.
    case resolve(host: String, detail: String)
    /// The TCP connection could not be made (refused, unreachable, connect timeout).
    case connect(String)
    /// The request did not complete within its timeout.
    case timedOut
    /// The connection closed before the response was complete.
    case connectionClosed(String)
    /// The peer violated HTTP/1.1 or HTTP/2 framing.
    case protocolViolation(String)
    /// The TLS handshake or record layer failed (untrusted certificate, no ALPN agreement).
    case tls(String)
    /// The client was shut down.
    case shutDown

    /// A one-line explanation for logs.
    public var description: String {
        switch self {
        case .resolve(let host, let detail): return "cannot resolve \(host): \(detail)"
        case .connect(let detail): return "cannot connect: \(detail)"
        case .timedOut: return "request timed out"
        case .connectionClosed(let detail): return "connection closed: \(detail)"
        case .protocolViolation(let detail): return "protocol error: \(detail)"
        case .tls(let detail): return "TLS: \(detail)"
        case .shutDown: return "client shut down"
        }
    }
}
