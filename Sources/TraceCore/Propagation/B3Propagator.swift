/// Parses and writes Zipkin B3 headers, single (`b3`) and multiple (`X-B3-*`) (openzipkin/b3-propagation;
/// OpenTelemetry Context API §B3 Requirements).
///
/// Extraction tries the single header first, then the multiple headers, whatever `encoding` is. Trace ids may be
/// 16 or 32 hex characters (a 16-character id is left-padded with zeros); hex is accepted in either case. Sampling
/// state `1` or `true` sets `sampled`; `d` or `X-B3-Flags: 1` (debug) also sets `sampled`; `0`/`false` or a missing
/// state leaves it clear (there is no "deferred" context in this SDK, so a parent-based sampler treats a deferred
/// decision as not sampled). `b3: 0` alone carries no ids and yields no context. The parent span id is not needed
/// to continue a trace and is ignored. Injection writes the context as the single or the multiple form per `encoding`.
public struct B3Propagator: Propagator, Hashable {
    /// Which header form `inject` writes.
    public enum Encoding: Sendable, Hashable {
        /// One `b3: {traceid}-{spanid}-{sampled}` header (`OTEL_PROPAGATORS=b3`).
        case single
        /// `X-B3-TraceId`, `X-B3-SpanId`, `X-B3-Sampled` (`OTEL_PROPAGATORS=b3multi`).
        case multiple
    }

    /// The form written on injection.
    public let encoding: Encoding

    /// Creates the propagator.
    public init(encoding: Encoding = .single) {
        self.encoding = encoding
    }

    /// Every header read or written.
    public var fields: [StaticString] {
        ["b3", "x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "x-b3-flags", "x-b3-parentspanid"]
    }

    /// Extracts a remote context from `b3` or, failing that, from the `X-B3-*` headers.
    public func extract(from carrier: some HeaderCarrier) -> ExtractedContext {
        var single: SpanContext?
        var sawSingle = false
        carrier.forEachValue(ofField: "b3") { value in
            if !sawSingle { single = Self.parseSingle(value) }
            sawSingle = true
        }
        if let single { return ExtractedContext(spanContext: single) }

        var traceID: TraceID?
        var spanID: SpanID?
        var sampled = false
        carrier.forEachValue(ofField: "x-b3-traceid") { traceID = Self.parseTraceID(Self.trim($0)) }
        carrier.forEachValue(ofField: "x-b3-spanid") { spanID = Self.parseSpanID(Self.trim($0)) }
        carrier.forEachValue(ofField: "x-b3-sampled") { value in
            let value = Self.trim(value)
            sampled = Self.equals(value, "1") || Self.equals(value, "true") || Self.equals(value, "d")
        }
        carrier.forEachValue(ofField: "x-b3-flags") { value in
            if Self.equals(Self.trim(value), "1") { sampled = true }
        }
        guard let traceID, let spanID, traceID.isValid, spanID.isValid else { return .empty }
        return ExtractedContext(
            spanContext: SpanContext(
                traceID: traceID, spanID: spanID, traceFlags: sampled ? .sampled : [], isRemote: true
            )
        )
    }

    /// Writes the valid `context` in the configured form; baggage is ignored.
    public func inject(_ context: SpanContext?, baggage: Baggage?, into carrier: inout some HeaderInjector) {
        guard let context, context.isValid else { return }
        let sampledByte: UInt8 = context.isSampled ? 0x31 : 0x30
        switch encoding {
        case .single:
            withUnsafeTemporaryAllocation(byteCount: 51, alignment: 1) { buffer in
                context.traceID.writeHex(into: buffer)
                buffer[32] = 0x2D
                context.spanID.writeHex(into: UnsafeMutableRawBufferPointer(rebasing: buffer[33..<49]))
                buffer[49] = 0x2D
                buffer[50] = sampledByte
                carrier.setField("b3", value: UnsafeRawBufferPointer(buffer))
            }
        case .multiple:
            withUnsafeTemporaryAllocation(byteCount: 32, alignment: 1) { buffer in
                context.traceID.writeHex(into: buffer)
                carrier.setField("x-b3-traceid", value: UnsafeRawBufferPointer(buffer))
                context.spanID.writeHex(into: buffer)
                carrier.setField("x-b3-spanid", value: UnsafeRawBufferPointer(rebasing: buffer[0..<16]))
                buffer[0] = sampledByte
                carrier.setField("x-b3-sampled", value: UnsafeRawBufferPointer(rebasing: buffer[0..<1]))
            }
        }
    }

    // MARK: Parsing

    /// `{traceid}-{spanid}[-{sampling}[-{parentspanid}]]`; nil for `0`/`1`/`d` alone or anything malformed.
    static func parseSingle(_ raw: UnsafeRawBufferPointer) -> SpanContext? {
        let value = trim(raw)
        var parts: [UnsafeRawBufferPointer] = []
        var start = 0
        for index in 0...value.count where index == value.count || value[index] == 0x2D {
            parts.append(UnsafeRawBufferPointer(rebasing: value[start..<index]))
            start = index + 1
            if parts.count > 4 { return nil }
        }
        guard parts.count >= 2, let traceID = parseTraceID(parts[0]), let spanID = parseSpanID(parts[1]),
            traceID.isValid, spanID.isValid
        else { return nil }
        var flags: TraceFlags = []
        if parts.count >= 3 {
            let state = parts[2]
            if equals(state, "1") || equals(state, "d") {
                flags = .sampled
            } else if !equals(state, "0") {
                return nil
            }
        }
        if parts.count == 4 {
            guard parseSpanID(parts[3]) != nil else { return nil }
        }
        return SpanContext(traceID: traceID, spanID: spanID, traceFlags: flags, isRemote: true)
    }

    static func parseTraceID(_ bytes: UnsafeRawBufferPointer) -> TraceID? {
        switch bytes.count {
        case 16:
            return Hex.parseUInt64(bytes, offset: 0, count: 16, ignoringCase: true).map { TraceID(high: 0, low: $0) }
        case 32:
            guard let high = Hex.parseUInt64(bytes, offset: 0, count: 16, ignoringCase: true),
                let low = Hex.parseUInt64(bytes, offset: 16, count: 16, ignoringCase: true)
            else { return nil }
            return TraceID(high: high, low: low)
        default:
            return nil
        }
    }

    static func parseSpanID(_ bytes: UnsafeRawBufferPointer) -> SpanID? {
        guard bytes.count == 16 else { return nil }
        return Hex.parseUInt64(bytes, offset: 0, count: 16, ignoringCase: true).map { SpanID(rawValue: $0) }
    }

    static func trim(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// Case-insensitive compare against an ASCII literal.
    static func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        for index in 0..<bytes.count where bytes[index] | 0x20 != literal.utf8Start[index] | 0x20 {
            return false
        }
        return true
    }
}
