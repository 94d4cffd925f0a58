import TraceCore

/// Encodes spans as one OTLP/JSON `ExportTraceServiceRequest`.
///
/// Follows the OTLP specification's JSON encoding (opentelemetry-proto `docs/specification.md`, "JSON Protobuf
/// Encoding"): trace and span ids as lowercase hex (not base64), enum values as integers, lowerCamelCase field
/// names, 64-bit integers as decimal strings; fields at their default value are omitted, as protobuf's JSON mapping
/// does. Spans are grouped by instrumentation scope under one resource. `flags` of spans and links are those of
/// `OTLPProtobufEncoder` (trace flags plus the `SpanFlags` is-remote bits), so both encodings carry the same data.
public struct OTLPJSONEncoder: Sendable {
    /// The resource every encoded span belongs to.
    public let resource: Resource

    /// `{"resourceSpans":[{"resource":{…},"scopeSpans":[`, encoded once.
    let prefix: [UInt8]

    /// Creates an encoder for spans of `resource`.
    public init(resource: Resource) {
        self.resource = resource
        var bytes: [UInt8] = []
        let bound = 64 &+ Self.attributesBound(resource.attributes)
        JSONRawWriter.withRoom(bound, in: &bytes) { w in
            w.raw("{\"resourceSpans\":[{\"resource\":{")
            Self.attributesMember(resource.attributes, into: &w, first: true)
            w.raw("},\"scopeSpans\":[")
        }
        prefix = bytes
    }

    /// Encodes `spans` into a single JSON object (no trailing newline).
    public func encode(_ spans: [FinishedSpan]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + spans.count * 1024)
        encode(spans, into: &out)
        return out
    }

    /// Appends the JSON object for `spans` to `w`.
    public func encode(_ spans: [FinishedSpan], into w: inout JSONWriter) {
        encode(spans, into: &w.bytes)
    }

    /// Appends the JSON object for `spans` to `out` (existing bytes are kept).
    ///
    /// With `out` cleared and reused between batches this allocates nothing per span once warm (attributes are read
    /// in place with `SpanAttributeList.forEachView`), except for non-integral doubles, whose text is built with a
    /// temporary string, array attribute values (materialised by the list), string values that are ill-formed
    /// UTF-8 (repaired in a temporary string, `UTF8Repair`), and one small index array when the batch mixes several
    /// scopes.
    public func encode(_ spans: [FinishedSpan], into out: inout [UInt8]) {
        out.append(contentsOf: prefix)
        var groupStarts: [Int] = []
        var start = 0
        while start < spans.count {
            let scope = spans[start].scope
            var next = spans.count
            JSONRawWriter.withRoom(48 &+ 6 &* (scope.name.utf8.count &+ (scope.version?.utf8.count ?? 0)), in: &out) { w in
                if start > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"scope\":{")
                var firstMember = true
                if !scope.name.isEmpty {
                    w.comma(&firstMember)
                    w.raw("\"name\":")
                    w.string(scope.name)
                }
                if let version = scope.version, !version.isEmpty {
                    w.comma(&firstMember)
                    w.raw("\"version\":")
                    w.string(version)
                }
                w.raw("},\"spans\":[")
            }
            var firstSpan = true
            var i = start
            while i < spans.count {
                if spans[i].scope == scope {
                    JSONRawWriter.withRoom(Self.sizeBound(spans[i]), in: &out) { w in
                        w.comma(&firstSpan)
                        Self.span(spans[i], into: &w)
                    }
                } else if next == spans.count, !groupStarts.contains(where: { spans[$0].scope == spans[i].scope }) {
                    next = i
                }
                i &+= 1
            }
            out.append(UInt8(ascii: "]"))
            out.append(UInt8(ascii: "}"))
            if next < spans.count { groupStarts.append(start) }
            start = next
        }
        out.append(contentsOf: "]}]}".utf8)
    }

    /// An upper bound of the bytes `span` takes (with a leading comma): string bytes counted at their longest
    /// escape (6), integers at 20 digits, doubles at 32 characters.
    static func sizeBound(_ span: FinishedSpan) -> Int {
        // Keys, punctuation, ids, kind, flags, times, status and dropped counts: under 400.
        var n = 400 &+ 6 &* span.name.utf8.count &+ traceStateBound(span.context.traceState)
        if case .error(let description) = span.status { n &+= 6 &* description.utf8.count }
        n &+= attributesBound(span.attributes)
        for event in span.events {
            n &+= 100 &+ 6 &* event.name.utf8.count &+ attributesBound(event.attributes)
        }
        for link in span.links {
            n &+= 160 &+ traceStateBound(link.context.traceState) &+ attributesBound(link.attributes)
        }
        return n
    }

    /// Upper bound of a `"traceState":"…"` member.
    @inline(__always)
    static func traceStateBound(_ state: TraceState) -> Int {
        var n = 20
        for member in state.members { n &+= 6 &* (member.key.utf8.count &+ member.value.utf8.count &+ 2) }
        return n
    }

    /// Upper bound of the `attributes` and `droppedAttributesCount` members.
    @inline(__always)
    static func attributesBound(_ list: SpanAttributeList) -> Int {
        var n = 60
        list.forEachView { key, value in
            n &+= 40 &+ 6 &* key.count &+ valueBound(value)
        }
        return n
    }

    /// Upper bound of an `AnyValue` object for a value read in place. A string byte takes at most 6 bytes, whether
    /// escaped (`\u00XX`) or part of an ill-formed sequence repaired to U+FFFD (3 bytes).
    @inline(__always)
    static func valueBound(_ value: AttributeValueView) -> Int {
        switch value {
        case .string(let utf8): return 20 &+ 6 &* utf8.count
        case .bool, .int, .double: return 48
        case .array(let array): return valueBound(array)
        }
    }

    /// Upper bound of an `AnyValue` object.
    @inline(__always)
    static func valueBound(_ value: AttributeValue) -> Int {
        switch value {
        case .string(let s): return 20 &+ 6 &* s.utf8.count
        case .bool, .int, .double: return 48
        case .stringArray(let items):
            var n = 40
            for item in items { n &+= 20 &+ 6 &* item.utf8.count }
            return n
        case .boolArray(let items): return 40 &+ 22 &* items.count
        case .intArray(let items): return 40 &+ 38 &* items.count
        case .doubleArray(let items): return 40 &+ 48 &* items.count
        }
    }

    static func span(_ span: FinishedSpan, into w: inout JSONRawWriter) {
        w.raw("{")
        w.raw("\"traceId\":")
        w.hex(span.context.traceID)
        w.raw(",")
        w.raw("\"spanId\":")
        w.hex(span.context.spanID)
        if !span.context.traceState.isEmpty {
            w.raw(",")
            w.raw("\"traceState\":")
            w.string(span.context.traceState.headerValue)
        }
        if let parent = span.parentSpanID, parent.isValid {
            w.raw(",")
            w.raw("\"parentSpanId\":")
            w.hex(parent)
        }
        let flags = OTLPProtobufEncoder.spanFlags(span)
        if flags != 0 {
            w.raw(",\"flags\":")
            w.integer(UInt64(flags))
        }
        if !span.name.isEmpty {
            w.raw(",\"name\":")
            w.string(span.name)
        }
        w.raw(",\"kind\":")
        w.integer(UInt64(span.kind.otlpValue))
        if span.startTimeUnixNano != 0 {
            w.raw(",\"startTimeUnixNano\":")
            w.quotedInteger(span.startTimeUnixNano)
        }
        if span.endTimeUnixNano != 0 {
            w.raw(",\"endTimeUnixNano\":")
            w.quotedInteger(span.endTimeUnixNano)
        }
        attributesMember(span.attributes, into: &w, first: false)
        if !span.events.isEmpty {
            w.raw(",\"events\":[")
            var first = true
            for event in span.events {
                w.comma(&first)
                w.raw("{")
                var firstMember = true
                if event.timeUnixNano != 0 {
                    w.comma(&firstMember)
                    w.raw("\"timeUnixNano\":")
                    w.quotedInteger(event.timeUnixNano)
                }
                if !event.name.isEmpty {
                    w.comma(&firstMember)
                    w.raw("\"name\":")
                    w.string(event.name)
                }
                attributesMember(event.attributes, into: &w, first: firstMember)
                w.raw("}")
            }
            w.raw("]")
        }
        if span.droppedEventsCount > 0 {
            w.raw(",\"droppedEventsCount\":")
            w.integer(UInt64(span.droppedEventsCount))
        }
        if !span.links.isEmpty {
            w.raw(",\"links\":[")
            var first = true
            for link in span.links {
                w.comma(&first)
                w.raw("{")
                w.raw("\"traceId\":")
                w.hex(link.context.traceID)
                w.raw(",")
                w.raw("\"spanId\":")
                w.hex(link.context.spanID)
                if !link.context.traceState.isEmpty {
                    w.raw(",")
                    w.raw("\"traceState\":")
                    w.string(link.context.traceState.headerValue)
                }
                attributesMember(link.attributes, into: &w, first: false)
                w.raw(",\"flags\":")
                w.integer(UInt64(OTLPProtobufEncoder.linkFlags(link.context)))
                w.raw("}")
            }
            w.raw("]")
        }
        if span.droppedLinksCount > 0 {
            w.raw(",\"droppedLinksCount\":")
            w.integer(UInt64(span.droppedLinksCount))
        }
        switch span.status {
        case .unset:
            break
        case .ok:
            w.raw(",\"status\":{\"code\":1}")
        case .error(let description):
            w.raw(",\"status\":{")
            if !description.isEmpty {
                w.raw("\"message\":")
                w.string(description)
                w.raw(",")
            }
            w.raw("\"code\":2}")
        }
        w.raw("}")
    }

    /// Writes `"attributes":[...]` (when non-empty) and `"droppedAttributesCount"` (when non-zero).
    static func attributesMember(_ attributes: SpanAttributeList, into w: inout JSONRawWriter, first: Bool) {
        var needsComma = !first
        if !attributes.isEmpty {
            if needsComma { w.raw(",") }
            w.raw("\"attributes\":[")
            var firstAttribute = true
            attributes.forEachView { key, value in
                w.comma(&firstAttribute)
                w.raw("{")
                w.raw("\"key\":")
                w.string(wellFormedUTF8: key)
                w.raw(",")
                w.raw("\"value\":")
                anyValue(value, into: &w)
                w.raw("}")
            }
            w.raw("]")
            needsComma = true
        }
        if attributes.droppedCount > 0 {
            if needsComma { w.raw(",") }
            w.raw("\"droppedAttributesCount\":")
            w.integer(UInt64(attributes.droppedCount))
        }
    }

    /// Writes an OTLP `AnyValue` object for a value read in place (string bytes repaired if ill-formed UTF-8).
    @inline(__always)
    static func anyValue(_ value: AttributeValueView, into w: inout JSONRawWriter) {
        switch value {
        case .string(let utf8):
            w.raw("{\"stringValue\":")
            w.string(utf8: utf8)
        case .bool(let b):
            w.raw("{\"boolValue\":")
            w.bool(b)
        case .int(let i):
            w.raw("{\"intValue\":")
            w.quotedInteger(i)
        case .double(let d):
            w.raw("{\"doubleValue\":")
            w.double(d)
        case .array(let array):
            anyValue(array, into: &w)
            return
        }
        w.raw("}")
    }

    /// Writes an OTLP `AnyValue` object; scalars go through the in-place writer above, so both paths write them alike.
    static func anyValue(_ value: AttributeValue, into w: inout JSONRawWriter) {
        if isEmptyArray(value) {
            // proto3 JSON omits an empty repeated field, so an empty ArrayValue is `{}`.
            w.raw("{\"arrayValue\":{}}")
            return
        }
        switch value {
        case .string(var s):
            s.withUTF8 { anyValue(AttributeValueView.string(UnsafeRawBufferPointer($0)), into: &w) }
            return
        case .bool(let b):
            anyValue(AttributeValueView.bool(b), into: &w)
            return
        case .int(let i):
            anyValue(AttributeValueView.int(i), into: &w)
            return
        case .double(let d):
            anyValue(AttributeValueView.double(d), into: &w)
            return
        case .stringArray(let items):
            arrayValue(items, "stringValue", into: &w) { $1.string($0) }
        case .boolArray(let items):
            arrayValue(items, "boolValue", into: &w) { $1.bool($0) }
        case .intArray(let items):
            arrayValue(items, "intValue", into: &w) { $1.quotedInteger($0) }
        case .doubleArray(let items):
            arrayValue(items, "doubleValue", into: &w) { $1.double($0) }
        }
        w.raw("}")
    }

    /// Writes `{"arrayValue":{"values":[{"<field>":v}, ...]}` (without the outer AnyValue's closing brace).
    private static func arrayValue<Element>(
        _ items: [Element], _ field: StaticString, into w: inout JSONRawWriter, _ write: (Element, inout JSONRawWriter) -> Void
    ) {
        w.raw("{\"arrayValue\":{\"values\":[")
        var first = true
        for item in items {
            w.comma(&first)
            w.raw("{\"")
            w.raw(field)
            w.raw("\":")
            write(item, &w)
            w.raw("}")
        }
        w.raw("]}")
    }

    /// Whether `value` is an array with no elements.
    @inline(__always)
    static func isEmptyArray(_ value: AttributeValue) -> Bool {
        switch value {
        case .stringArray(let items): return items.isEmpty
        case .boolArray(let items): return items.isEmpty
        case .intArray(let items): return items.isEmpty
        case .doubleArray(let items): return items.isEmpty
        case .string, .bool, .int, .double: return false
        }
    }
}
