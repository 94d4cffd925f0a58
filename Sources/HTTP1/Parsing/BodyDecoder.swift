/// Delimits a message body in the input without copying it: Content-Length, chunked (RFC 9112 §7.1) or until close.
///
/// Body bytes are reported as ranges of the caller's input. The chunk-size line is decoded one byte at a time by a
/// small state machine, so it works however the bytes are split across reads.
struct BodyDecoder {
    /// What one decode step produced.
    enum Output {
        case data(Range<Int>)
        case needMore
        case end
        /// The last chunk was read; a trailer section follows.
        case trailers
    }

    /// Position inside a chunk-size line: `chunk-size [ chunk-ext ] CRLF` (RFC 9112 §7.1, §7.1.1).
    enum ChunkLine {
        case size, sizeWhitespace
        case extensionNameStart, extensionName, extensionAfterName
        case extensionValueStart, extensionValueToken, extensionQuoted, extensionQuotedEscape, extensionAfterValue
        case lineFeed
    }

    enum State {
        case done
        case length(remaining: Int)
        case chunkLine(ChunkLine)
        case chunkData(remaining: Int)
        case chunkDataCR
        case chunkDataLF
        case untilClose
    }

    var state: State = .done
    var chunkSize = 0
    var chunkDigits = 0
    var chunkLineLength = 0
    var chunkedBodyBytes = 0
    var maxBodySize = Int.max
    var maxChunkLineLength = 4096

    /// Starts decoding a body framed as `framing`.
    mutating func begin(_ framing: HTTP1BodyFraming, limits: HTTP1Limits) {
        maxBodySize = limits.maxBodySize ?? Int.max
        maxChunkLineLength = limits.maxChunkLineLength
        chunkedBodyBytes = 0
        switch framing {
        case .none: state = .done
        case .contentLength(let n): state = .length(remaining: n)
        case .chunked: startChunkLine()
        case .untilClose: state = .untilClose
        }
    }

    @inline(__always)
    private mutating func startChunkLine() {
        state = .chunkLine(.size)
        chunkSize = 0
        chunkDigits = 0
        chunkLineLength = 0
    }

    /// Decodes from `input[offset...]`, advancing `offset` past what it used.
    mutating func decode(_ input: UnsafeRawBufferPointer, _ offset: inout Int) throws(HTTP1ParseError) -> Output {
        while true {
            switch state {
            case .done:
                return .end
            case .length(let remaining):
                if remaining == 0 {
                    state = .done
                    return .end
                }
                let n = min(remaining, input.count - offset)
                if n == 0 { return .needMore }
                state = .length(remaining: remaining - n)
                defer { offset += n }
                return .data(offset..<offset + n)
            case .untilClose:
                let n = input.count - offset
                if n == 0 { return .needMore }
                defer { offset = input.count }
                return .data(offset..<input.count)
            case .chunkData(let remaining):
                let n = min(remaining, input.count - offset)
                if n == 0 { return .needMore }
                state = remaining == n ? .chunkDataCR : .chunkData(remaining: remaining - n)
                defer { offset += n }
                return .data(offset..<offset + n)
            case .chunkDataCR:
                guard offset < input.count else { return .needMore }
                guard input[offset] == ASCII.cr else { throw HTTP1ParseError(.missingChunkDataCRLF) }
                offset += 1
                state = .chunkDataLF
            case .chunkDataLF:
                guard offset < input.count else { return .needMore }
                guard input[offset] == ASCII.lf else { throw HTTP1ParseError(.missingChunkDataCRLF) }
                offset += 1
                startChunkLine()
            case .chunkLine(var line):
                while true {
                    guard offset < input.count else {
                        state = .chunkLine(line)
                        return .needMore
                    }
                    let byte = input[offset]
                    offset += 1
                    chunkLineLength += 1
                    if chunkLineLength > maxChunkLineLength { throw HTTP1ParseError(.chunkLineTooLong) }
                    if line == .lineFeed {
                        guard byte == ASCII.lf else { throw HTTP1ParseError(.invalidChunkSize) }
                        break
                    }
                    if byte == ASCII.lf { throw HTTP1ParseError(.bareLineFeed) }
                    line = try Self.advance(line, byte, size: &chunkSize, digits: &chunkDigits)
                }
                if chunkSize == 0 {
                    state = .done
                    return .trailers
                }
                let (total, overflow) = chunkedBodyBytes.addingReportingOverflow(chunkSize)
                if overflow || total > maxBodySize { throw HTTP1ParseError(.bodyTooLarge) }
                chunkedBodyBytes = total
                state = .chunkData(remaining: chunkSize)
            }
        }
    }

    /// One byte of a chunk-size line (never LF); returns the next position or throws.
    @inline(__always)
    private static func advance(
        _ line: ChunkLine, _ byte: UInt8, size: inout Int, digits: inout Int
    ) throws(HTTP1ParseError) -> ChunkLine {
        let isWhitespace = ASCII.isWhitespace(byte)
        switch line {
        case .size:
            if let digit = ASCII.hexValue(byte) {
                if size > (Int.max >> 4) { throw HTTP1ParseError(.chunkSizeOverflow) }
                size = size << 4 | digit
                digits += 1
                return .size
            }
            if digits == 0 { throw HTTP1ParseError(.invalidChunkSize) }
            if byte == ASCII.cr { return .lineFeed }
            if byte == ASCII.semicolon { return .extensionNameStart }
            if isWhitespace { return .sizeWhitespace }
            throw HTTP1ParseError(.invalidChunkSize)
        case .sizeWhitespace:
            if isWhitespace { return .sizeWhitespace }
            if byte == ASCII.semicolon { return .extensionNameStart }
            throw HTTP1ParseError(.invalidChunkExtension)
        case .extensionNameStart:
            if isWhitespace { return .extensionNameStart }
            if ASCII.isTokenChar(byte) { return .extensionName }
            throw HTTP1ParseError(.invalidChunkExtension)
        case .extensionName:
            if ASCII.isTokenChar(byte) { return .extensionName }
            return try afterElement(byte, isWhitespace, whitespace: .extensionAfterName, allowsEquals: true)
        case .extensionAfterName:
            return try afterElement(byte, isWhitespace, whitespace: .extensionAfterName, allowsEquals: true)
        case .extensionValueStart:
            if isWhitespace { return .extensionValueStart }
            if byte == ASCII.quote { return .extensionQuoted }
            if ASCII.isTokenChar(byte) { return .extensionValueToken }
            throw HTTP1ParseError(.invalidChunkExtension)
        case .extensionValueToken:
            if ASCII.isTokenChar(byte) { return .extensionValueToken }
            return try afterElement(byte, isWhitespace, whitespace: .extensionAfterValue, allowsEquals: false)
        case .extensionQuoted:
            // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text (RFC 9110 §5.6.4)
            if byte == ASCII.quote { return .extensionAfterValue }
            if byte == ASCII.backslash { return .extensionQuotedEscape }
            if ASCII.isFieldValueChar(byte) { return .extensionQuoted }
            throw HTTP1ParseError(.invalidChunkExtension)
        case .extensionQuotedEscape:
            if ASCII.isFieldValueChar(byte) { return .extensionQuoted }
            throw HTTP1ParseError(.invalidChunkExtension)
        case .extensionAfterValue:
            return try afterElement(byte, isWhitespace, whitespace: .extensionAfterValue, allowsEquals: false)
        case .lineFeed:
            throw HTTP1ParseError(.invalidChunkSize)
        }
    }

    /// What may follow an extension name or value: BWS, `=` (after a name), `;` or the CR ending the line.
    @inline(__always)
    private static func afterElement(
        _ byte: UInt8, _ isWhitespace: Bool, whitespace: ChunkLine, allowsEquals: Bool
    ) throws(HTTP1ParseError) -> ChunkLine {
        if isWhitespace { return whitespace }
        if byte == ASCII.semicolon { return .extensionNameStart }
        if byte == ASCII.cr { return .lineFeed }
        if allowsEquals && byte == ASCII.equals { return .extensionValueStart }
        throw HTTP1ParseError(.invalidChunkExtension)
    }
}
