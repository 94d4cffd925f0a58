import Glibc

/// The message-level machinery shared by the request and response parsers: line assembly, field sections,
/// body delimiting and trailers.
///
/// Head bytes are copied once, line by line, into reused storage (`head.bytes`); lines must end in CRLF (RFC 9112 §2.2:
/// a bare LF is rejected rather than tolerated, so no two parsers on the path can disagree about where a line ends).
/// The owner interprets the start line and decides the framing; this type reports steps.
struct MessageReader {
    /// What the reader needs from its owner next.
    enum Step {
        case needMore
        /// A start line is in `head.bytes[startLine]`.
        case startLine
        /// The header section ended; the owner must call `beginBody(_:)` (or `upgrade()`).
        case headComplete
        case body(Range<Int>)
        /// The trailer section is in `trailers`.
        case trailers
        case end
    }

    enum Phase {
        case startLine, headFields, body, trailerFields, trailersDelivered, upgraded
    }

    let limits: HTTP1Limits
    var head: HTTP1Fields
    var trailers: HTTP1Fields
    var facts = FramingFacts()
    var phase = Phase.startLine
    var startLine = 0..<0
    var lineStart = 0
    var sectionBytes = 0
    var needsReset = false
    var body = BodyDecoder()

    init(limits: HTTP1Limits) {
        self.limits = limits
        head = HTTP1Fields(byteCapacity: 1024, fieldCapacity: 16)
        trailers = HTTP1Fields()
    }

    /// Whether no byte of a next message has arrived.
    var isIdle: Bool {
        phase == .startLine && (needsReset || head.bytes.isEmpty)
    }

    /// Whether the body runs until the connection closes.
    var isUntilClose: Bool {
        if case .untilClose = body.state, phase == .body { return true }
        return false
    }

    /// Starts the body after `.headComplete`.
    mutating func beginBody(_ framing: HTTP1BodyFraming) {
        body.begin(framing, limits: limits)
        phase = .body
    }

    /// Ends the current message so the next start line can be read (after `.end`, or for interim responses).
    mutating func finishMessage() {
        phase = .startLine
        needsReset = true
    }

    /// Forgets any partial message so the reader can serve a new connection, keeping its storage.
    mutating func restart() {
        phase = .startLine
        needsReset = true
        body = BodyDecoder()
    }

    /// Hands the rest of the connection to a tunnel; later calls fail.
    mutating func upgrade() {
        phase = .upgraded
    }

    /// Advances through `input[offset...]`, returning at the first step the owner must see.
    mutating func next(_ input: UnsafeRawBufferPointer, _ offset: inout Int) throws(HTTP1ParseError) -> Step {
        while true {
            switch phase {
            case .startLine:
                if needsReset { reset() }
                guard let end = try Self.readLine(
                    input, &offset, &head.bytes, lineStart: lineStart,
                    budget: limits.maxStartLineLength, overflow: .startLineTooLong
                ) else { return .needMore }
                if end == lineStart {
                    // RFC 9112 §2.2: ignore empty lines before the request line.
                    head.bytes.removeAll(keepingCapacity: true)
                    continue
                }
                startLine = lineStart..<end
                lineStart = head.bytes.count
                phase = .headFields
                return .startLine
            case .headFields:
                guard let end = try Self.readLine(
                    input, &offset, &head.bytes, lineStart: lineStart,
                    budget: limits.maxHeaderBlockSize - sectionBytes, overflow: .headerBlockTooLarge
                ) else { return .needMore }
                sectionBytes += head.bytes.count - lineStart
                if end == lineStart { return .headComplete }
                if head.count == limits.maxFieldCount { throw HTTP1ParseError(.tooManyFields) }
                try FieldLineParser.parse(&head, start: lineStart, end: end, facts: &facts, collecting: true)
                lineStart = head.bytes.count
            case .body:
                switch try body.decode(input, &offset) {
                case .data(let range): return .body(range)
                case .needMore: return .needMore
                case .end:
                    finishMessage()
                    return .end
                case .trailers:
                    phase = .trailerFields
                    lineStart = 0
                    sectionBytes = 0
                }
            case .trailerFields:
                guard let end = try Self.readLine(
                    input, &offset, &trailers.bytes, lineStart: lineStart,
                    budget: limits.maxTrailerBlockSize - sectionBytes, overflow: .trailerBlockTooLarge
                ) else { return .needMore }
                sectionBytes += trailers.bytes.count - lineStart
                if end == lineStart {
                    if trailers.isEmpty {
                        finishMessage()
                        return .end
                    }
                    phase = .trailersDelivered
                    return .trailers
                }
                if trailers.count == limits.maxTrailerFieldCount { throw HTTP1ParseError(.tooManyTrailerFields) }
                try FieldLineParser.parse(&trailers, start: lineStart, end: end, facts: &facts, collecting: false)
                lineStart = trailers.bytes.count
            case .trailersDelivered:
                finishMessage()
                return .end
            case .upgraded:
                throw HTTP1ParseError(.parserUpgraded)
            }
        }
    }

    /// Clears per-message state, reusing storage (in place once the caller dropped the previous head).
    private mutating func reset() {
        head.removeAll()
        if !trailers.isEmpty || !trailers.bytes.isEmpty { trailers.removeAll() }
        facts = FramingFacts()
        lineStart = 0
        sectionBytes = 0
        needsReset = false
    }

    /// Copies bytes up to and including the next LF into `bytes`; returns the index of the line's CR, or nil when the
    /// input ended first (everything was copied). Throws `overflow` once the line exceeds `budget` bytes.
    @inline(__always)
    static func readLine(
        _ input: UnsafeRawBufferPointer, _ offset: inout Int, _ bytes: inout [UInt8],
        lineStart: Int, budget: Int, overflow: HTTP1ParseError.Kind
    ) throws(HTTP1ParseError) -> Int? {
        let available = input.count - offset
        guard available > 0, let base = input.baseAddress else { return nil }
        let start = base + offset
        let pending = bytes.count - lineStart
        guard let found = memchr(start, Int32(ASCII.lf), available) else {
            if pending + available >= budget { throw HTTP1ParseError(overflow) }
            bytes.append(contentsOf: UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: available))
            offset += available
            return nil
        }
        let length = UnsafeRawPointer(found) - start + 1
        if pending + length > budget { throw HTTP1ParseError(overflow) }
        bytes.append(contentsOf: UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: length))
        offset += length
        let crIndex = bytes.count - 2
        guard crIndex >= lineStart else { throw HTTP1ParseError(.bareLineFeed) }
        // The CR is read from the input when this read holds it: reading it back from `bytes` right after the copy
        // waited for the copy's stores to reach the line (a cache miss at hundreds of connections, where the head's
        // storage has gone cold since the previous request).
        let cr = length >= 2 ? UnsafeRawPointer(found).load(fromByteOffset: -1, as: UInt8.self) : bytes[crIndex]
        guard cr == ASCII.cr else { throw HTTP1ParseError(.bareLineFeed) }
        return crIndex
    }
}
