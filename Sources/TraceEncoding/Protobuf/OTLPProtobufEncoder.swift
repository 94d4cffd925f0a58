import TraceCore

/// Encodes spans as one OTLP protobuf `ExportTraceServiceRequest`, the body of OTLP/gRPC and OTLP/HTTP exports.
///
/// Field numbers and types follow opentelemetry-proto (`collector/trace/v1/trace_service.proto`,
/// `trace/v1/trace.proto`, `common/v1/common.proto`, `resource/v1/resource.proto`). Output is byte-identical to the
/// official encoder's: fields in field-number order, proto3 default values (0, "", empty) omitted except inside the
/// `AnyValue` oneof, where the set member is always written. One `ResourceSpans` holds the encoder's resource and one
/// `ScopeSpans` per distinct instrumentation scope, in first-seen order. The resource is encoded once, at init.
///
/// `Span.flags` (fixed32, `SpanFlags` in trace.proto): bits 0–7 are the W3C trace flags; for a root span bit 8
/// (`SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK`) is set and bit 9 clear (it has no parent, so no remote one). For a span
/// with a parent, bits 8–9 stay clear ("unknown"), because `FinishedSpan` does not record whether its parent
/// context was remote. `Link.flags` has the linked context's trace flags plus bit 8, and bit 9 when that context
/// `isRemote`.
public struct OTLPProtobufEncoder: Sendable {
    /// The resource every encoded span belongs to.
    public let resource: Resource

    /// The `resource` field of `ResourceSpans` (tag, length, `Resource` message), encoded once.
    let resourceField: [UInt8]

    /// Creates an encoder for spans of `resource`.
    public init(resource: Resource) {
        self.resource = resource
        var w = ProtobufWriter()
        Self.withRoom(8 + Self.attributesBound(resource.attributes), in: &w) { r in
            r.byte(Tag.resourceSpansResource)
            let start = r.beginMessage()
            Self.attributes(resource.attributes, field: Tag.resourceAttributes, droppedField: Tag.resourceDropped, into: &r)
            r.endMessage(start)
        }
        resourceField = w.bytes
    }

    /// Encodes `spans` into a new array (allocates; exporters reuse a buffer with `encode(_:into:)`).
    public func encode(_ spans: [FinishedSpan]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + spans.count * 768)
        encode(spans, into: &out)
        return out
    }

    /// Appends the `ExportTraceServiceRequest` for `spans` to `out` (existing bytes are kept); nothing for no spans.
    ///
    /// With `out` cleared between batches (`removeAll(keepingCapacity: true)`) this allocates nothing per span once
    /// the buffer has grown to the batch size: attributes are read in place (`SpanAttributeList.forEachView`). The
    /// exceptions: a batch that mixes several scopes (one small index array), array attribute values (materialised
    /// by the list) and string values that are ill-formed UTF-8 (repaired in a temporary string, `UTF8Repair`).
    public func encode(_ spans: [FinishedSpan], into out: inout [UInt8]) {
        guard !spans.isEmpty else { return }
        var w = ProtobufWriter()
        swap(&w.bytes, &out)
        defer { swap(&w.bytes, &out) }

        w.byte(Tag.requestResourceSpans)
        let resourceSpans = w.beginMessage()
        w.bytes.append(contentsOf: resourceField)
        var groupStarts: [Int] = []
        var start = 0
        while start < spans.count {
            let scope = spans[start].scope
            var next = spans.count
            w.byte(Tag.resourceSpansScopeSpans)
            let scopeSpans = w.beginMessage()
            Self.scope(scope, into: &w)
            var i = start
            while i < spans.count {
                if spans[i].scope == scope {
                    w.byte(Tag.scopeSpansSpans)
                    Self.withRoom(Self.sizeBound(spans[i]), in: &w) { r in
                        let body = r.beginMessage()
                        Self.span(spans[i], into: &r)
                        r.endMessage(body)
                    }
                } else if next == spans.count, !groupStarts.contains(where: { spans[$0].scope == spans[i].scope }) {
                    next = i
                }
                i &+= 1
            }
            w.endMessage(scopeSpans)
            if next < spans.count { groupStarts.append(start) }
            start = next
        }
        w.endMessage(resourceSpans)
    }

    /// Writes an `InstrumentationScope` message (field 1 of `ScopeSpans`).
    static func scope(_ scope: InstrumentationScope, into w: inout ProtobufWriter) {
        w.byte(Tag.scopeSpansScope)
        let start = w.beginMessage()
        if !scope.name.isEmpty {
            w.byte(Tag.scopeName)
            w.string(scope.name)
        }
        if let version = scope.version, !version.isEmpty {
            w.byte(Tag.scopeVersion)
            w.string(version)
        }
        w.endMessage(start)
    }

    /// Writes the fields of one `Span` message.
    static func span(_ span: FinishedSpan, into w: inout ProtobufRawWriter) {
        w.byte(Tag.spanTraceID)
        w.traceID(span.context.traceID)
        w.byte(Tag.spanSpanID)
        w.spanID(span.context.spanID)
        if !span.context.traceState.isEmpty {
            w.byte(Tag.spanTraceState)
            traceState(span.context.traceState, into: &w)
        }
        let parent = span.parentSpanID ?? .invalid
        if parent.isValid {
            w.byte(Tag.spanParentSpanID)
            w.spanID(parent)
        }
        if !span.name.isEmpty {
            w.byte(Tag.spanName)
            w.string(span.name)
        }
        w.byte(Tag.spanKind)
        w.varint(UInt64(span.kind.otlpValue))
        if span.startTimeUnixNano != 0 {
            w.byte(Tag.spanStartTime)
            w.fixed64(span.startTimeUnixNano)
        }
        if span.endTimeUnixNano != 0 {
            w.byte(Tag.spanEndTime)
            w.fixed64(span.endTimeUnixNano)
        }
        attributes(span.attributes, field: Tag.spanAttributes, droppedField: Tag.spanDroppedAttributes, into: &w)
        for event in span.events {
            w.byte(Tag.spanEvents)
            let start = w.beginMessage()
            if event.timeUnixNano != 0 {
                w.byte(Tag.eventTime)
                w.fixed64(event.timeUnixNano)
            }
            if !event.name.isEmpty {
                w.byte(Tag.eventName)
                w.string(event.name)
            }
            attributes(event.attributes, field: Tag.eventAttributes, droppedField: Tag.eventDroppedAttributes, into: &w)
            w.endMessage(start)
        }
        if span.droppedEventsCount > 0 {
            w.byte(Tag.spanDroppedEvents)
            w.varint(UInt64(UInt32(truncatingIfNeeded: span.droppedEventsCount)))
        }
        for link in span.links {
            w.byte(Tag.spanLinks)
            let start = w.beginMessage()
            w.byte(Tag.linkTraceID)
            w.traceID(link.context.traceID)
            w.byte(Tag.linkSpanID)
            w.spanID(link.context.spanID)
            if !link.context.traceState.isEmpty {
                w.byte(Tag.linkTraceState)
                traceState(link.context.traceState, into: &w)
            }
            attributes(link.attributes, field: Tag.linkAttributes, droppedField: Tag.linkDroppedAttributes, into: &w)
            w.byte(Tag.linkFlags)
            w.fixed32(linkFlags(link.context))
            w.endMessage(start)
        }
        if span.droppedLinksCount > 0 {
            w.byte(Tag.spanDroppedLinks)
            w.varint(UInt64(UInt32(truncatingIfNeeded: span.droppedLinksCount)))
        }
        switch span.status {
        case .unset:
            break
        case .ok:
            w.byte(Tag.spanStatus)
            w.byte(2)
            w.byte(Tag.statusCode)
            w.byte(1)
        case .error(let description):
            w.byte(Tag.spanStatus)
            let start = w.beginMessage()
            if !description.isEmpty {
                w.byte(Tag.statusMessage)
                w.string(description)
            }
            w.byte(Tag.statusCode)
            w.byte(2)
            w.endMessage(start)
        }
        let flags = spanFlags(span)
        if flags != 0 {
            w.byte(Tag.spanFlagsFirstByte)
            w.byte(Tag.spanFlagsSecondByte)
            w.fixed32(flags)
        }
    }

    /// `Span.flags`: trace flags, plus "is-remote known, not remote" for a root span (see the type's documentation).
    @inline(__always)
    static func spanFlags(_ span: FinishedSpan) -> UInt32 {
        var flags = UInt32(span.context.traceFlags.rawValue)
        if !(span.parentSpanID?.isValid ?? false) { flags |= SpanFlags.contextHasIsRemote }
        return flags
    }

    /// `Link.flags`: the linked context's trace flags, bit 8, and bit 9 when the linked context is remote.
    @inline(__always)
    static func linkFlags(_ context: SpanContext) -> UInt32 {
        var flags = UInt32(context.traceFlags.rawValue) | SpanFlags.contextHasIsRemote
        if context.isRemote { flags |= SpanFlags.contextIsRemote }
        return flags
    }

    /// Writes a trace state as its W3C header value (`k=v,k2=v2`), length-prefixed, without building a String.
    static func traceState(_ state: TraceState, into w: inout ProtobufRawWriter) {
        var length = 0
        for member in state.members { length += member.key.utf8.count + 1 + member.value.utf8.count }
        length += state.members.count - 1
        w.varint(UInt64(length))
        var first = true
        for member in state.members {
            if !first { w.byte(UInt8(ascii: ",")) }
            first = false
            w.utf8(member.key)
            w.byte(UInt8(ascii: "="))
            w.utf8(member.value)
        }
    }

    /// Writes each attribute as a `KeyValue` in `field`, then the dropped count in `droppedField` when non-zero.
    @inline(__always)
    static func attributes(_ list: SpanAttributeList, field: UInt8, droppedField: UInt8, into w: inout ProtobufRawWriter) {
        list.forEachView { key, value in
            w.byte(field)
            let start = w.beginMessage()
            if key.count > 0 {
                w.byte(Tag.keyValueKey)
                w.string(wellFormedUTF8: key)
            }
            w.byte(Tag.keyValueValue)
            let valueStart = w.beginMessage()
            anyValue(value, into: &w)
            w.endMessage(valueStart)
            w.endMessage(start)
        }
        if list.droppedCount > 0 {
            w.byte(droppedField)
            w.varint(UInt64(UInt32(truncatingIfNeeded: list.droppedCount)))
        }
    }

    /// Writes the fields of an `AnyValue` message for a value read in place (string bytes repaired if ill-formed
    /// UTF-8, as proto3 requires valid UTF-8 in `string` fields).
    @inline(__always)
    static func anyValue(_ value: AttributeValueView, into w: inout ProtobufRawWriter) {
        switch value {
        case .string(let utf8):
            w.byte(Tag.anyString)
            w.string(utf8: utf8)
        case .bool(let b):
            w.byte(Tag.anyBool)
            w.byte(b ? 1 : 0)
        case .int(let i):
            w.byte(Tag.anyInt)
            w.varint(UInt64(bitPattern: i))
        case .double(let d):
            w.byte(Tag.anyDouble)
            w.fixed64(d.bitPattern)
        case .array(let array):
            anyValue(array, into: &w)
        }
    }

    /// Writes the fields of an `AnyValue` message (the oneof member is always written, even at its default);
    /// scalars go through the in-place writer above, so both paths write them alike.
    @inline(__always)
    static func anyValue(_ value: AttributeValue, into w: inout ProtobufRawWriter) {
        switch value {
        case .string(var s):
            s.withUTF8 { anyValue(AttributeValueView.string(UnsafeRawBufferPointer($0)), into: &w) }
        case .bool(let b):
            anyValue(AttributeValueView.bool(b), into: &w)
        case .int(let i):
            anyValue(AttributeValueView.int(i), into: &w)
        case .double(let d):
            anyValue(AttributeValueView.double(d), into: &w)
        case .stringArray(let items):
            array(into: &w) { w in
                for item in items {
                    w.byte(Tag.arrayValues)
                    let start = w.beginMessage()
                    w.byte(Tag.anyString)
                    w.string(item)
                    w.endMessage(start)
                }
            }
        case .boolArray(let items):
            array(into: &w) { w in
                for item in items {
                    w.byte(Tag.arrayValues)
                    w.byte(2)
                    w.byte(Tag.anyBool)
                    w.byte(item ? 1 : 0)
                }
            }
        case .intArray(let items):
            array(into: &w) { w in
                for item in items {
                    w.byte(Tag.arrayValues)
                    w.byte(UInt8(1 + ProtobufWriter.varintSize(UInt64(bitPattern: item))))
                    w.byte(Tag.anyInt)
                    w.varint(UInt64(bitPattern: item))
                }
            }
        case .doubleArray(let items):
            array(into: &w) { w in
                for item in items {
                    w.byte(Tag.arrayValues)
                    w.byte(9)
                    w.byte(Tag.anyDouble)
                    w.fixed64(item.bitPattern)
                }
            }
        }
    }

    /// Writes `AnyValue.array_value` around the `ArrayValue.values` that `body` writes.
    @inline(__always)
    static func array(into w: inout ProtobufRawWriter, _ body: (inout ProtobufRawWriter) -> Void) {
        w.byte(Tag.anyArray)
        let start = w.beginMessage()
        body(&w)
        w.endMessage(start)
    }

    /// Grows `w` by `bound` bytes, lets `body` write at most that many through a raw writer, then trims the rest.
    ///
    /// One capacity check and one zero-fill per call instead of a checked append per byte; `bound` must be at least
    /// what `body` writes (see `sizeBound`), which the precondition checks after the fact.
    @inline(__always)
    static func withRoom(_ bound: Int, in w: inout ProtobufWriter, _ body: (inout ProtobufRawWriter) -> Void) {
        let start = w.bytes.count
        w.bytes.append(contentsOf: repeatElement(0, count: bound))
        let written = w.bytes.withUnsafeMutableBytes { buffer -> Int in
            var raw = ProtobufRawWriter(base: buffer.baseAddress! + start)
            body(&raw)
            return raw.offset
        }
        precondition(written <= bound, "OTLPProtobufEncoder size bound too small")
        w.bytes.removeLast(bound &- written)
    }

    /// An upper bound of the bytes `span` takes as a length-prefixed `Span` message: each varint counted at its
    /// largest for the value range (lengths 5 bytes, 64-bit integers 10), so it is never below the exact size.
    static func sizeBound(_ span: FinishedSpan) -> Int {
        // Fixed fields with tags: ids 18 + 10 + 10, name header 6, kind 2, times 18, three dropped counts 18,
        // status header, message header and code 14, flags 6, the span's own length prefix 5.
        var n = 112 + span.name.utf8.count
        n &+= traceStateBound(span.context.traceState)
        n &+= attributesBound(span.attributes)
        for event in span.events {
            n &+= 32 &+ event.name.utf8.count &+ attributesBound(event.attributes)
        }
        for link in span.links {
            n &+= 64 &+ traceStateBound(link.context.traceState) &+ attributesBound(link.attributes)
        }
        if case .error(let description) = span.status { n &+= description.utf8.count }
        return n
    }

    /// Upper bound of a trace state field's bytes (header, members, separators).
    @inline(__always)
    static func traceStateBound(_ state: TraceState) -> Int {
        var n = 6
        for member in state.members { n &+= member.key.utf8.count &+ member.value.utf8.count &+ 2 }
        return n
    }

    /// Upper bound of the `KeyValue` fields for `list` plus its dropped count.
    @inline(__always)
    static func attributesBound(_ list: SpanAttributeList) -> Int {
        var n = 6
        list.forEachView { key, value in
            // KeyValue tag+length 6, key tag+length 6, value tag+length 6.
            n &+= 18 &+ key.count &+ valueBound(value)
        }
        return n
    }

    /// Upper bound of an `AnyValue` message body for a value read in place; string bytes counted as they may be
    /// after repair of ill-formed UTF-8 (`UTF8Repair.repairedBound`).
    @inline(__always)
    static func valueBound(_ value: AttributeValueView) -> Int {
        switch value {
        case .string(let utf8): return 6 &+ UTF8Repair.repairedBound(utf8.count)
        case .bool, .int, .double: return 11
        case .array(let array): return valueBound(array)
        }
    }

    /// Upper bound of an `AnyValue` message body.
    @inline(__always)
    static func valueBound(_ value: AttributeValue) -> Int {
        switch value {
        case .string(let s): return 6 &+ s.utf8.count
        case .bool, .int, .double: return 11
        case .stringArray(let items):
            var n = 6
            for item in items { n &+= 12 &+ item.utf8.count }
            return n
        case .boolArray(let items): return 6 &+ 4 &* items.count
        case .intArray(let items): return 6 &+ 13 &* items.count
        case .doubleArray(let items): return 6 &+ 11 &* items.count
        }
    }

    /// `SpanFlags` masks from trace.proto.
    enum SpanFlags {
        static let contextHasIsRemote: UInt32 = 0x100
        static let contextIsRemote: UInt32 = 0x200
    }

    /// Precomputed field tags, `(field_number << 3) | wire_type` (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).
    enum Tag {
        static let requestResourceSpans: UInt8 = 0x0A  // ExportTraceServiceRequest.resource_spans = 1
        static let resourceSpansResource: UInt8 = 0x0A  // ResourceSpans.resource = 1
        static let resourceSpansScopeSpans: UInt8 = 0x12  // ResourceSpans.scope_spans = 2
        static let resourceAttributes: UInt8 = 0x0A  // Resource.attributes = 1
        static let resourceDropped: UInt8 = 0x10  // Resource.dropped_attributes_count = 2
        static let scopeSpansScope: UInt8 = 0x0A  // ScopeSpans.scope = 1
        static let scopeSpansSpans: UInt8 = 0x12  // ScopeSpans.spans = 2
        static let scopeName: UInt8 = 0x0A  // InstrumentationScope.name = 1
        static let scopeVersion: UInt8 = 0x12  // InstrumentationScope.version = 2
        static let spanTraceID: UInt8 = 0x0A  // Span.trace_id = 1
        static let spanSpanID: UInt8 = 0x12  // Span.span_id = 2
        static let spanTraceState: UInt8 = 0x1A  // Span.trace_state = 3
        static let spanParentSpanID: UInt8 = 0x22  // Span.parent_span_id = 4
        static let spanName: UInt8 = 0x2A  // Span.name = 5
        static let spanKind: UInt8 = 0x30  // Span.kind = 6
        static let spanStartTime: UInt8 = 0x39  // Span.start_time_unix_nano = 7 (fixed64)
        static let spanEndTime: UInt8 = 0x41  // Span.end_time_unix_nano = 8 (fixed64)
        static let spanAttributes: UInt8 = 0x4A  // Span.attributes = 9
        static let spanDroppedAttributes: UInt8 = 0x50  // Span.dropped_attributes_count = 10
        static let spanEvents: UInt8 = 0x5A  // Span.events = 11
        static let spanDroppedEvents: UInt8 = 0x60  // Span.dropped_events_count = 12
        static let spanLinks: UInt8 = 0x6A  // Span.links = 13
        static let spanDroppedLinks: UInt8 = 0x70  // Span.dropped_links_count = 14
        static let spanStatus: UInt8 = 0x7A  // Span.status = 15
        static let spanFlagsFirstByte: UInt8 = 0x85  // Span.flags = 16 (fixed32): tag 0x85 as a two-byte varint
        static let spanFlagsSecondByte: UInt8 = 0x01
        static let eventTime: UInt8 = 0x09  // Span.Event.time_unix_nano = 1 (fixed64)
        static let eventName: UInt8 = 0x12  // Span.Event.name = 2
        static let eventAttributes: UInt8 = 0x1A  // Span.Event.attributes = 3
        static let eventDroppedAttributes: UInt8 = 0x20  // Span.Event.dropped_attributes_count = 4
        static let linkTraceID: UInt8 = 0x0A  // Span.Link.trace_id = 1
        static let linkSpanID: UInt8 = 0x12  // Span.Link.span_id = 2
        static let linkTraceState: UInt8 = 0x1A  // Span.Link.trace_state = 3
        static let linkAttributes: UInt8 = 0x22  // Span.Link.attributes = 4
        static let linkDroppedAttributes: UInt8 = 0x28  // Span.Link.dropped_attributes_count = 5
        static let linkFlags: UInt8 = 0x35  // Span.Link.flags = 6 (fixed32)
        static let statusMessage: UInt8 = 0x12  // Status.message = 2
        static let statusCode: UInt8 = 0x18  // Status.code = 3
        static let keyValueKey: UInt8 = 0x0A  // KeyValue.key = 1
        static let keyValueValue: UInt8 = 0x12  // KeyValue.value = 2
        static let anyString: UInt8 = 0x0A  // AnyValue.string_value = 1
        static let anyBool: UInt8 = 0x10  // AnyValue.bool_value = 2
        static let anyInt: UInt8 = 0x18  // AnyValue.int_value = 3
        static let anyDouble: UInt8 = 0x21  // AnyValue.double_value = 4 (fixed64)
        static let anyArray: UInt8 = 0x2A  // AnyValue.array_value = 5
        static let arrayValues: UInt8 = 0x0A  // ArrayValue.values = 1
    }
}
