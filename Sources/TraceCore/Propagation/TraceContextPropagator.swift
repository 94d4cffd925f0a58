/// Parses and writes the W3C `traceparent` and `tracestate` headers (W3C Trace Context Level 1 and Level 2).
///
/// `traceparent` (§3.2): optional whitespace around the value is ignored; version `ff` is invalid; version `00` must be
/// exactly 55 characters; a higher (future) version is parsed by its first four fields and may carry more
/// `-`-separated data after them (§4.3); hex must be lowercase; all-zero ids are invalid; more than one
/// `traceparent` field makes the context invalid. Flags other than `sampled` and `random` are dropped, since we
/// always write version `00` (§3.2.2.5). A malformed `traceparent` also drops `tracestate` (§3.3).
///
/// `tracestate` (§3.3): fields are combined in order; empty members are skipped; keys follow the current grammar
/// `( lcalpha / DIGIT ) 0*255 keychar` (with `@` a key character). Choices where the spec says MAY: a malformed member
/// or more than 32 members discards the whole `tracestate` (the trace itself continues), because a partial list could
/// mis-attribute vendor state; a repeated key keeps its first value, as the official test harness expects. On output
/// at most 512 characters are written, dropping whole entries: first entries longer than 128 characters, then
/// entries from the end (§3.3.1.5).
public struct TraceContextPropagator: Propagator, Hashable {
    /// Creates the propagator.
    public init() {}

    /// Most `tracestate` members accepted (§3.3.1.1).
    public static let traceStateMemberLimit = 32
    /// Most characters of `tracestate` written on output (§3.3.1.5: at least 512 must be propagated).
    public static let traceStateOutputLimit = 512
    /// Entries longer than this are removed first when the output must be truncated (§3.3.1.5).
    public static let traceStateLongEntryLength = 128
    /// Length of a version-00 `traceparent`.
    public static let traceparentLength = 55

    /// `traceparent` and `tracestate`.
    public var fields: [StaticString] { ["traceparent", "tracestate"] }

    /// Extracts the remote span context and trace state; nil context for a missing, repeated or malformed
    /// `traceparent`.
    public func extract(from carrier: some HeaderCarrier) -> ExtractedContext {
        var fieldCount = 0
        var parsed: SpanContext?
        carrier.forEachValue(ofField: "traceparent") { bytes in
            fieldCount += 1
            if fieldCount == 1 { parsed = Self.parseTraceparent(bytes) }
        }
        guard fieldCount == 1, var context = parsed else { return .empty }
        var parser = TraceStateParser()
        carrier.forEachValue(ofField: "tracestate") { parser.consume($0) }
        if let traceState = parser.result { context.traceState = traceState }
        return ExtractedContext(spanContext: context)
    }

    /// Writes `traceparent` (version 00) and a non-empty `tracestate` for a valid context; baggage is ignored.
    public func inject(_ context: SpanContext?, baggage: Baggage?, into carrier: inout some HeaderInjector) {
        guard let context, context.isValid else { return }
        withUnsafeTemporaryAllocation(byteCount: Self.traceparentLength, alignment: 1) { buffer in
            let written = Self.writeTraceparent(context, into: buffer)
            carrier.setField("traceparent", value: UnsafeRawBufferPointer(rebasing: buffer[0..<written]))
        }
        if !context.traceState.isEmpty {
            let value = Self.headerValue(for: context.traceState)
            if !value.isEmpty { carrier.setField("tracestate", value: value) }
        }
    }

    // MARK: traceparent

    /// Parses one `traceparent` value in place; returns a remote context without trace state, or nil if invalid.
    @inlinable
    public static func parseTraceparent(_ raw: UnsafeRawBufferPointer) -> SpanContext? {
        var start = 0
        var end = raw.count
        while start < end, raw[start] == 0x20 || raw[start] == 0x09 { start &+= 1 }
        while end > start, raw[end &- 1] == 0x20 || raw[end &- 1] == 0x09 { end &-= 1 }
        let length = end &- start
        guard length >= traceparentLength else { return nil }
        let bytes = UnsafeRawBufferPointer(rebasing: raw[start..<end])
        guard let version = Hex.parseUInt64(bytes, offset: 0, count: 2), version != 0xFF else { return nil }
        if version == 0 {
            guard length == traceparentLength else { return nil }
        } else if length > traceparentLength {
            guard bytes[traceparentLength] == 0x2D else { return nil }  // future version: "-" then more data
        }
        guard bytes[2] == 0x2D, bytes[35] == 0x2D, bytes[52] == 0x2D,
            let high = Hex.parseLowercase16(bytes, offset: 3),
            let low = Hex.parseLowercase16(bytes, offset: 19),
            let span = Hex.parseLowercase16(bytes, offset: 36),
            let flags = Hex.parseUInt64(bytes, offset: 53, count: 2)
        else { return nil }
        let traceID = TraceID(high: high, low: low)
        let spanID = SpanID(rawValue: span)
        guard traceID.isValid, spanID.isValid else { return nil }
        return SpanContext(
            traceID: traceID,
            spanID: spanID,
            traceFlags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: flags)).intersection(.known),
            traceState: TraceState(),
            isRemote: true
        )
    }

    /// Parses a `traceparent` string (convenience for tests and configuration).
    public static func parseTraceparent(_ string: String) -> SpanContext? {
        var string = string
        return string.withUTF8 { parseTraceparent(UnsafeRawBufferPointer($0)) }
    }

    /// Writes `00-{trace-id}-{span-id}-{flags}` (55 bytes) into `buffer` and returns 55; only the `sampled` and
    /// `random` flag bits are written.
    @inlinable
    @discardableResult
    public static func writeTraceparent(_ context: SpanContext, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        precondition(buffer.count >= traceparentLength, "traceparent needs 55 bytes")
        buffer[0] = 0x30
        buffer[1] = 0x30
        buffer[2] = 0x2D
        Hex.writeUInt64(context.traceID.high, into: buffer, offset: 3)
        Hex.writeUInt64(context.traceID.low, into: buffer, offset: 19)
        buffer[35] = 0x2D
        Hex.writeUInt64(context.spanID.rawValue, into: buffer, offset: 36)
        buffer[52] = 0x2D
        let flags = context.traceFlags.intersection(.known).rawValue
        buffer[53] = Hex.digit(flags >> 4)
        buffer[54] = Hex.digit(flags & 0x0F)
        return traceparentLength
    }

    /// The `traceparent` string for `context`.
    public static func traceparent(for context: SpanContext) -> String {
        String(unsafeUninitializedCapacity: traceparentLength) { buffer in
            writeTraceparent(context, into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    // MARK: tracestate

    /// Parses `tracestate` field values (combined in order); nil when the whole header must be discarded.
    public static func parseTraceState(_ values: [String]) -> TraceState? {
        var parser = TraceStateParser()
        for value in values {
            var value = value
            value.withUTF8 { parser.consume(UnsafeRawBufferPointer($0)) }
        }
        return parser.result
    }

    /// The `tracestate` value to send: members joined with `,`, truncated to `traceStateOutputLimit` characters by
    /// dropping whole entries (entries over 128 characters first, from the end; then other entries from the end).
    public static func headerValue(for traceState: TraceState) -> String {
        var members = traceState.members
        func entryLength(_ member: (key: String, value: String)) -> Int {
            member.key.utf8.count + 1 + member.value.utf8.count
        }
        var total = members.reduce(0) { $0 + entryLength($1) } + Swift.max(0, members.count - 1)
        while total > traceStateOutputLimit,
            let index = members.lastIndex(where: { entryLength($0) > traceStateLongEntryLength })
        {
            total -= entryLength(members[index]) + (members.count > 1 ? 1 : 0)
            members.remove(at: index)
        }
        while total > traceStateOutputLimit, let last = members.last {
            total -= entryLength(last) + (members.count > 1 ? 1 : 0)
            members.removeLast()
        }
        return TraceState(members: members).headerValue
    }
}
