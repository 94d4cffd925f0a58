/// What one `HTTP1ResponseParser.parse(_:requestMethod:)` call produced.
public enum HTTP1ResponseEvent: Sendable {
    /// An interim 1xx response other than 101 (100 Continue, 103 Early Hints); the final response follows.
    case interim(HTTP1ResponseHead)
    /// The final response head; the body (if any) follows.
    case head(HTTP1ResponseHead)
    /// 101 Switching Protocols, or a 2xx answer to CONNECT: every byte after `consumed` belongs to the tunnel.
    case upgrade(HTTP1ResponseHead)
    /// Body bytes: a range of the input passed to this call, not copied.
    case body(Range<Int>)
    /// The trailer section of a chunked body (only sent when non-empty).
    case trailers(HTTP1Fields)
    /// The response is complete.
    case end
    /// All input was consumed; call again with more bytes.
    case needMore
}

/// An incremental, strict parser for backend responses (RFC 9112 §4, framing per §6.3).
///
/// The caller passes the method of the request being answered, since HEAD and CONNECT change the framing. Errors carry
/// status 502. Deliberate strictness beyond the RFC, to keep the proxy's view identical to the client's:
/// - Content-Length with Transfer-Encoding: Transfer-Encoding wins and `keepAlive` is false (RFC 9112 §6.3 item 3).
/// - Transfer-Encoding other than a single final `chunked` is rejected instead of read until close (§6.3 item 4),
///   because the proxy strips Transfer-Encoding and could not re-frame such a body faithfully.
/// - Bodies without Content-Length or Transfer-Encoding run until close; report the close with `eof()`.
public struct HTTP1ResponseParser: Sendable {
    /// The limits this parser enforces.
    public var limits: HTTP1Limits { reader.limits }

    private var reader: MessageReader
    private var version = HTTP1Version.http1_1
    private var status = 0
    private var reason: Range<Int> = 0..<0
    private var awaitingFinal = false

    /// A parser enforcing `limits`.
    public init(limits: HTTP1Limits = HTTP1Limits()) {
        reader = MessageReader(limits: limits)
    }

    /// Parses from the start of `input`, a response to a `requestMethod` request; returns bytes consumed and the event.
    public mutating func parse(
        _ input: UnsafeRawBufferPointer, requestMethod: HTTP1Method
    ) throws(HTTP1ParseError) -> (consumed: Int, event: HTTP1ResponseEvent) {
        do {
            var offset = 0
            while true {
                switch try reader.next(input, &offset) {
                case .needMore:
                    return (offset, .needMore)
                case .startLine:
                    try parseStatusLine()
                case .headComplete:
                    return (offset, try finishHead(requestMethod))
                case .body(let range):
                    return (offset, .body(range))
                case .trailers:
                    return (offset, .trailers(reader.trailers))
                case .end:
                    return (offset, .end)
                }
            }
        } catch {
            throw HTTP1ParseError(error.kind, status: 502)
        }
    }

    /// Forgets any partial response (or tunnel hand-off) so a pooled parser can serve a new connection.
    public mutating func reset() {
        reader.restart()
        awaitingFinal = false
    }

    /// Reports that the backend closed the connection. Returns `.end` when that completes a close-delimited body,
    /// nil when the connection was idle; throws if a response was cut short.
    public mutating func eof() throws(HTTP1ParseError) -> HTTP1ResponseEvent? {
        if reader.isUntilClose {
            reader.finishMessage()
            return .end
        }
        if reader.isIdle && !awaitingFinal { return nil }
        throw HTTP1ParseError(.truncatedMessage, status: 502)
    }

    /// `HTTP-version SP 3DIGIT SP [ reason-phrase ]` (RFC 9112 §4); a missing SP after the code is tolerated when the
    /// reason is empty, as many servers send `HTTP/1.1 200`.
    private mutating func parseStatusLine() throws(HTTP1ParseError) {
        let line = reader.startLine
        var parsedVersion = HTTP1Version.http1_1
        var code = 0
        let failure: HTTP1ParseError.Kind? = reader.head.bytes.withUnsafeBufferPointer { p in
            let start = line.lowerBound
            guard line.count >= 12, p[start + 8] == ASCII.space else { return .invalidStatusLine }
            if let kind = HTTP1Version.parse(p, start, start + 8, into: &parsedVersion) { return kind }
            for i in (start + 9)..<(start + 12) {
                guard ASCII.isDigit(p[i]) else { return .invalidStatusLine }
                code = code * 10 + Int(p[i] &- 0x30)
            }
            guard code >= 100 else { return .invalidStatusLine }
            if line.count > 12 {
                guard p[start + 12] == ASCII.space else { return .invalidStatusLine }
                for i in (start + 13)..<line.upperBound where !ASCII.isFieldValueChar(p[i]) {
                    return .invalidStatusLine
                }
            }
            return nil
        }
        if let failure { throw HTTP1ParseError(failure) }
        version = parsedVersion
        status = code
        reason = line.count > 12 ? (line.lowerBound + 13)..<line.upperBound : line.upperBound..<line.upperBound
    }

    /// Decides framing per RFC 9112 §6.3 and starts the body, or reports an interim or upgrade response.
    private mutating func finishHead(_ requestMethod: HTTP1Method) throws(HTTP1ParseError) -> HTTP1ResponseEvent {
        let facts = reader.facts
        var keepAlive = facts.connectionClose ? false : (version == .http1_1 || facts.connectionKeepAlive)
        var head = HTTP1ResponseHead(
            version: version, status: status, reason: reader.head.bytes[reason], fields: reader.head,
            keepAlive: keepAlive, framing: .none
        )
        if status == 101 {
            reader.upgrade()
            awaitingFinal = false
            return .upgrade(head)
        }
        if status < 200 {
            reader.finishMessage()
            awaitingFinal = true
            return .interim(head)
        }
        awaitingFinal = false
        if requestMethod == .connect && status < 300 {
            reader.upgrade()
            return .upgrade(head)
        }
        var framing = HTTP1BodyFraming.none
        if requestMethod == .head || status == 204 || status == 304 {
            framing = .none
        } else if facts.hasTransferEncoding {
            if version == .http1_0 { throw HTTP1ParseError(.transferEncodingOnHTTP10) }
            if facts.chunkedCount > 1 { throw HTTP1ParseError(.chunkedAppliedTwice) }
            if !facts.lastCodingIsChunked { throw HTTP1ParseError(.transferEncodingNotChunked) }
            if facts.hasOtherCoding { throw HTTP1ParseError(.unsupportedTransferCoding) }
            framing = .chunked
            if facts.contentLength != nil { keepAlive = false }
        } else if let length = facts.contentLength {
            if let max = reader.limits.maxBodySize, length > max { throw HTTP1ParseError(.bodyTooLarge) }
            framing = .contentLength(length)
        } else {
            framing = .untilClose
            keepAlive = false
        }
        head.framing = framing
        head.keepAlive = keepAlive
        reader.beginBody(framing)
        return .head(head)
    }
}
