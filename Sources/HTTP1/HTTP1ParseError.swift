/// A message the parser refuses, with the status the proxy should answer and a short reason for the log.
///
/// Request errors carry the status RFC 9112 / RFC 9110 prescribe (400, 413, 414, 431, 501, 505). Errors from
/// `HTTP1ResponseParser` carry 502: a broken backend response is the gateway's problem to report, not the client's.
/// After any error the connection must be closed: the framing of what follows is unknown (RFC 9112 §11.2).
public struct HTTP1ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong with the message.
    public let kind: Kind
    /// The HTTP status code to answer with.
    public let status: Int

    /// An error of `kind` answered with the kind's request status.
    public init(_ kind: Kind) {
        self.kind = kind
        self.status = kind.requestStatus
    }

    /// An error of `kind` answered with an explicit status (502 for backend responses).
    public init(_ kind: Kind, status: Int) {
        self.kind = kind
        self.status = status
    }

    /// A short, static reason for the log line.
    public var reason: StaticString { kind.reason }

    /// `"<status> <reason>"`, for logs and test failures.
    public var description: String { "\(status) \(kind.reason)" }

    /// Each distinct rule a message can break; one case per rule so tests and logs can tell them apart.
    public enum Kind: Hashable, Sendable {
        /// Request line (or status line) longer than `HTTP1Limits.maxStartLineLength` (414).
        case startLineTooLong
        /// Header section larger than `HTTP1Limits.maxHeaderBlockSize` (431).
        case headerBlockTooLarge
        /// More field lines than `HTTP1Limits.maxFieldCount` (431).
        case tooManyFields
        /// Trailer section larger than `HTTP1Limits.maxTrailerBlockSize` (431).
        case trailerBlockTooLarge
        /// More trailer lines than `HTTP1Limits.maxTrailerFieldCount` (431).
        case tooManyTrailerFields
        /// Body larger than `HTTP1Limits.maxBodySize` (413).
        case bodyTooLarge
        /// A line ended in LF without CR; RFC 9112 §2.2 allows accepting it, we reject it to rule out smuggling.
        case bareLineFeed
        /// Request line not `method SP target SP version` with single spaces (RFC 9112 §3).
        case invalidRequestLine
        /// Method is not a token (RFC 9110 §9.1).
        case invalidMethod
        /// Request target has control chars, bad form or a bad authority (RFC 9112 §3.2).
        case invalidTarget
        /// Version is not `HTTP/<digit>.<digit>` (RFC 9112 §2.3).
        case invalidVersion
        /// A well-formed version other than 1.0 or 1.1 (505).
        case unsupportedVersion
        /// Status line not `version SP 3DIGIT SP reason` (RFC 9112 §4).
        case invalidStatusLine
        /// A field line starting with SP or HTAB: obs-fold, rejected per RFC 9112 §5.2.
        case obsoleteLineFolding
        /// Whitespace between a field name and its colon (RFC 9112 §5.1 requires 400).
        case whitespaceBeforeColon
        /// A field name that is empty or not a token (RFC 9110 §5.1).
        case invalidFieldName
        /// A field value with CR, LF, NUL or another control other than HTAB (RFC 9110 §5.5).
        case invalidFieldValue
        /// HTTP/1.1 request without Host (RFC 9112 §3.2).
        case missingHost
        /// More than one Host field line (RFC 9112 §3.2).
        case duplicateHost
        /// Host value that is not `uri-host [ ":" port ]` (RFC 9112 §3.2, RFC 3986 §3.2.2).
        case invalidHost
        /// Both Content-Length and Transfer-Encoding in a request (RFC 9112 §6.3 item 3, smuggling defence).
        case contentLengthWithTransferEncoding
        /// Content-Length values that differ (RFC 9112 §6.3 item 5).
        case conflictingContentLengths
        /// Content-Length that is not 1*DIGIT or overflows (RFC 9112 §6.3 item 5).
        case invalidContentLength
        /// Transfer-Encoding whose final coding is not chunked (RFC 9112 §6.3 item 4).
        case transferEncodingNotChunked
        /// chunked applied more than once (RFC 9112 §6.1).
        case chunkedAppliedTwice
        /// Transfer-Encoding on an HTTP/1.0 message (RFC 9112 §6.1: treat as faulty framing).
        case transferEncodingOnHTTP10
        /// Transfer-Encoding list element that is not a bare token.
        case invalidTransferEncoding
        /// A transfer coding other than chunked (RFC 9112 §6.1: 501 Not Implemented).
        case unsupportedTransferCoding
        /// Chunk size that is missing or not hexadecimal (RFC 9112 §7.1).
        case invalidChunkSize
        /// Chunk size that does not fit in an Int.
        case chunkSizeOverflow
        /// Chunk extension that breaks `*( BWS ";" BWS name [ BWS "=" BWS value ] )` (RFC 9112 §7.1.1).
        case invalidChunkExtension
        /// Chunk-size line longer than `HTTP1Limits.maxChunkLineLength`.
        case chunkLineTooLong
        /// Chunk data not followed by CRLF (RFC 9112 §7.1).
        case missingChunkDataCRLF
        /// The connection ended inside a message.
        case truncatedMessage
        /// `parse` was called after the parser handed the connection to a tunnel.
        case parserUpgraded

        /// The status a server answers a client request with for this kind.
        public var requestStatus: Int {
            switch self {
            case .startLineTooLong: return 414
            case .headerBlockTooLarge, .tooManyFields, .trailerBlockTooLarge, .tooManyTrailerFields: return 431
            case .bodyTooLarge: return 413
            case .unsupportedVersion: return 505
            case .unsupportedTransferCoding: return 501
            default: return 400
            }
        }

        /// A short, static reason for the log.
        public var reason: StaticString {
            switch self {
            case .startLineTooLong: return "start line too long"
            case .headerBlockTooLarge: return "header section too large"
            case .tooManyFields: return "too many header fields"
            case .trailerBlockTooLarge: return "trailer section too large"
            case .tooManyTrailerFields: return "too many trailer fields"
            case .bodyTooLarge: return "body too large"
            case .bareLineFeed: return "bare LF line ending"
            case .invalidRequestLine: return "malformed request line"
            case .invalidMethod: return "method is not a token"
            case .invalidTarget: return "invalid request target"
            case .invalidVersion: return "malformed HTTP version"
            case .unsupportedVersion: return "HTTP version not supported"
            case .invalidStatusLine: return "malformed status line"
            case .obsoleteLineFolding: return "obsolete line folding"
            case .whitespaceBeforeColon: return "whitespace between field name and colon"
            case .invalidFieldName: return "field name is not a token"
            case .invalidFieldValue: return "control character in field value"
            case .missingHost: return "missing Host"
            case .duplicateHost: return "duplicate Host"
            case .invalidHost: return "invalid Host"
            case .contentLengthWithTransferEncoding: return "Content-Length with Transfer-Encoding"
            case .conflictingContentLengths: return "conflicting Content-Length values"
            case .invalidContentLength: return "invalid Content-Length"
            case .transferEncodingNotChunked: return "final transfer coding is not chunked"
            case .chunkedAppliedTwice: return "chunked applied more than once"
            case .transferEncodingOnHTTP10: return "Transfer-Encoding on HTTP/1.0"
            case .invalidTransferEncoding: return "malformed Transfer-Encoding"
            case .unsupportedTransferCoding: return "unsupported transfer coding"
            case .invalidChunkSize: return "invalid chunk size"
            case .chunkSizeOverflow: return "chunk size overflows"
            case .invalidChunkExtension: return "invalid chunk extension"
            case .chunkLineTooLong: return "chunk size line too long"
            case .missingChunkDataCRLF: return "missing CRLF after chunk data"
            case .truncatedMessage: return "connection closed inside a message"
            case .parserUpgraded: return "parser already handed the connection to a tunnel"
            }
        }
    }
}
