/// What one `HTTP1RequestParser.parse(_:)` call produced.
public enum HTTP1RequestEvent: Sendable {
    /// A complete request head; the body (if any) follows.
    case head(HTTP1RequestHead)
    /// Body bytes: a range of the input passed to this call, not copied.
    case body(Range<Int>)
    /// The trailer section of a chunked body (only sent when non-empty).
    case trailers(HTTP1Fields)
    /// The request is complete; the next call parses the next pipelined request.
    case end
    /// All input was consumed (head bytes are kept internally); call again with more bytes.
    case needMore
}

/// An incremental, strict HTTP/1.1 request parser for the frontend (RFC 9112), safe against request smuggling.
///
/// Feed it whatever the socket delivered; each call returns how many bytes it consumed and one event. Call again with
/// the unconsumed rest (possibly empty) until it answers `.needMore`: that is the only event meaning every byte was used
/// and nothing is pending (a body's `.end` can come from a call with no bytes left). Head bytes are copied once into reused storage; body bytes are
/// reported as ranges of the input. Every ambiguity in framing is an error (RFC 9112 §6.3, §11.2), never a guess.
///
/// ```swift
/// var parser = HTTP1RequestParser()
/// // for each read into `bytes: UnsafeRawBufferPointer`:
/// var offset = 0
/// parsing: while true {
///     let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
///     let (used, event) = try parser.parse(rest)
///     offset += used
///     switch event {
///     case .head(let head): startExchange(head)
///     case .body(let range): forward(UnsafeRawBufferPointer(rebasing: rest[range]))
///     case .trailers(let fields): forwardTrailers(fields)
///     case .end: finishRequest()
///     case .needMore: break parsing
///     }
/// }
/// ```
public struct HTTP1RequestParser: Sendable {
    /// The limits this parser enforces.
    public var limits: HTTP1Limits { reader.limits }

    private var reader: MessageReader
    // Only ranges and payload-free values are kept between calls: a stored slice would keep the storage shared and
    // force a copy when the next message reuses it.
    private var methodRange: Range<Int> = 0..<0
    private var version = HTTP1Version.http1_1
    private var targetForm = TargetForm.asterisk
    private var rawTarget: Range<Int> = 0..<0
    private var targetAuthority: Range<Int>? = nil

    /// A parser enforcing `limits`.
    public init(limits: HTTP1Limits = HTTP1Limits()) {
        reader = MessageReader(limits: limits)
    }

    /// Whether the parser is between requests (no byte of a next request received).
    public var isIdle: Bool { reader.isIdle }

    /// Parses from the start of `input`; returns the bytes consumed and the event reached.
    public mutating func parse(_ input: UnsafeRawBufferPointer) throws(HTTP1ParseError) -> (consumed: Int, event: HTTP1RequestEvent) {
        var offset = 0
        while true {
            switch try reader.next(input, &offset) {
            case .needMore:
                return (offset, .needMore)
            case .startLine:
                try parseRequestLine()
            case .headComplete:
                let head = try makeHead()
                reader.beginBody(head.framing)
                return (offset, .head(head))
            case .body(let range):
                return (offset, .body(range))
            case .trailers:
                return (offset, .trailers(reader.trailers))
            case .end:
                return (offset, .end)
            }
        }
    }

    /// Forgets any partial request so a pooled parser can serve a new connection; storage is kept for reuse.
    public mutating func reset() {
        reader.restart()
    }

    /// Reports that the client closed its side; throws if that cut a request short.
    public func eof() throws(HTTP1ParseError) {
        if !reader.isIdle { throw HTTP1ParseError(.truncatedMessage) }
    }

    /// `method SP request-target SP HTTP-version` with single spaces (RFC 9112 §3).
    private mutating func parseRequestLine() throws(HTTP1ParseError) {
        let line = reader.startLine
        var failure: HTTP1ParseError.Kind?
        var methodEnd = 0
        var targetEnd = 0
        var parsedVersion = HTTP1Version.http1_1
        reader.head.bytes.withUnsafeBufferPointer { p in
            var i = line.lowerBound
            while i < line.upperBound && p[i] != ASCII.space { i += 1 }
            methodEnd = i
            if methodEnd == line.lowerBound || methodEnd == line.upperBound {
                failure = .invalidRequestLine
                return
            }
            for j in line.lowerBound..<methodEnd where !ASCII.isTokenChar(p[j]) {
                failure = .invalidMethod
                return
            }
            i = methodEnd + 1
            while i < line.upperBound && p[i] != ASCII.space { i += 1 }
            targetEnd = i
            if targetEnd == methodEnd + 1 || targetEnd == line.upperBound {
                failure = .invalidRequestLine
                return
            }
            for j in (methodEnd + 1)..<targetEnd {
                let b = p[j]
                if b <= ASCII.space || b >= 0x7F || b == UInt8(ascii: "#") {
                    failure = .invalidTarget
                    return
                }
            }
            for j in (targetEnd + 1)..<line.upperBound where p[j] == ASCII.space {
                failure = .invalidRequestLine
                return
            }
            failure = HTTP1Version.parse(p, targetEnd + 1, line.upperBound, into: &parsedVersion)
        }
        if let failure { throw HTTP1ParseError(failure) }
        methodRange = line.lowerBound..<methodEnd
        version = parsedVersion
        rawTarget = (methodEnd + 1)..<targetEnd
        try parseTarget()
    }

    /// Splits the target into its form (RFC 9112 §3.2): origin, absolute (authority split out), authority
    /// (CONNECT only) or asterisk (OPTIONS only).
    private mutating func parseTarget() throws(HTTP1ParseError) {
        let range = rawTarget
        let bytes = reader.head.bytes
        targetAuthority = nil
        let method = HTTP1Method(token: bytes[methodRange])
        if method == .connect {
            let valid = bytes.withUnsafeBufferPointer { p in
                AuthorityValidator.isValid(p, range.lowerBound, range.upperBound, allowsEmpty: false, requiresPort: true)
            }
            guard valid else { throw HTTP1ParseError(.invalidTarget) }
            targetForm = .authority
            targetAuthority = range
            return
        }
        let first = bytes[range.lowerBound]
        if first == ASCII.slash {
            targetForm = .origin
            return
        }
        if range.count == 1 && first == UInt8(ascii: "*") {
            guard method == .options else { throw HTTP1ParseError(.invalidTarget) }
            targetForm = .asterisk
            return
        }
        // absolute-form: scheme "://" authority path-abempty [ "?" query ]
        var schemeEnd = -1
        var authorityEnd = 0
        let valid: Bool = bytes.withUnsafeBufferPointer { p in
            var i = range.lowerBound
            guard ASCII.lower(p[i]) &- UInt8(ascii: "a") < 26 else { return false }
            while i < range.upperBound {
                let b = p[i]
                if b == ASCII.colon { break }
                let isSchemeChar = ASCII.lower(b) &- UInt8(ascii: "a") < 26 || ASCII.isDigit(b)
                    || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
                guard isSchemeChar else { return false }
                i += 1
            }
            guard range.upperBound - i >= 3, p[i + 1] == ASCII.slash, p[i + 2] == ASCII.slash else { return false }
            schemeEnd = i
            i += 3
            let authorityStart = i
            while i < range.upperBound && p[i] != ASCII.slash && p[i] != UInt8(ascii: "?") {
                if p[i] == UInt8(ascii: "@") { return false }
                i += 1
            }
            authorityEnd = i
            return AuthorityValidator.isValid(p, authorityStart, authorityEnd, allowsEmpty: false, requiresPort: false)
        }
        guard valid else { throw HTTP1ParseError(.invalidTarget) }
        targetForm = .absolute(schemeEnd: schemeEnd)
        targetAuthority = (schemeEnd + 3)..<authorityEnd
    }

    /// Applies the request framing rules of RFC 9112 §6.3 and the Host rules of §3.2 to the collected facts.
    private func makeHead() throws(HTTP1ParseError) -> HTTP1RequestHead {
        let facts = reader.facts
        let fields = reader.head
        let bytes = fields.bytes
        let target: HTTP1RequestTarget
        switch targetForm {
        case .origin: target = .origin(pathAndQuery: bytes[rawTarget])
        case .authority: target = .authority(bytes[rawTarget])
        case .asterisk: target = .asterisk
        case .absolute(let schemeEnd):
            let authority = targetAuthority ?? schemeEnd..<schemeEnd
            target = .absolute(
                scheme: bytes[rawTarget.lowerBound..<schemeEnd],
                authority: bytes[authority],
                pathAndQuery: bytes[authority.upperBound..<rawTarget.upperBound]
            )
        }
        var framing = HTTP1BodyFraming.none
        if facts.hasTransferEncoding {
            if version == .http1_0 { throw HTTP1ParseError(.transferEncodingOnHTTP10) }
            if facts.contentLength != nil { throw HTTP1ParseError(.contentLengthWithTransferEncoding) }
            if facts.chunkedCount > 1 { throw HTTP1ParseError(.chunkedAppliedTwice) }
            if !facts.lastCodingIsChunked { throw HTTP1ParseError(.transferEncodingNotChunked) }
            if facts.hasOtherCoding { throw HTTP1ParseError(.unsupportedTransferCoding) }
            framing = .chunked
        } else if let length = facts.contentLength {
            if let max = reader.limits.maxBodySize, length > max { throw HTTP1ParseError(.bodyTooLarge) }
            framing = .contentLength(length)
        }

        if facts.hostCount > 1 { throw HTTP1ParseError(.duplicateHost) }
        var authority: ArraySlice<UInt8>? = targetAuthority.map { fields.bytes[$0] }
        if facts.hostCount == 1 {
            let host = fields[facts.hostIndex].value
            let valid = host.withUnsafeBufferPointer { p in
                AuthorityValidator.isValid(p, 0, p.count, allowsEmpty: true, requiresPort: false)
            }
            if !valid { throw HTTP1ParseError(.invalidHost) }
            if authority == nil { authority = host }
        } else if version == .http1_1 {
            throw HTTP1ParseError(.missingHost)
        }

        let isHTTP11 = version == .http1_1
        let keepAlive = facts.connectionClose ? false : (isHTTP11 || facts.connectionKeepAlive)
        var upgrade: ArraySlice<UInt8>?
        if isHTTP11 && facts.connectionUpgrade && facts.upgradeIndex >= 0 {
            upgrade = fields[facts.upgradeIndex].value
        }
        return HTTP1RequestHead(
            method: HTTP1Method(token: bytes[methodRange]),
            target: target,
            rawTarget: fields.bytes[rawTarget],
            version: version,
            fields: fields,
            authority: authority,
            keepAlive: keepAlive,
            framing: framing,
            expectsContinue: isHTTP11 && facts.expectContinue,
            upgradeProtocols: upgrade
        )
    }
}

/// The form of the request target, kept as offsets until the head is built.
private enum TargetForm {
    case origin
    case absolute(schemeEnd: Int)
    case authority
    case asterisk
}
