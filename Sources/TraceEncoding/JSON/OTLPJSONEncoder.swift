import TraceCore

/// Encodes spans as one OTLP/JSON `ExportTraceServiceRequest`.
///
/// Follows the OTLP specification's JSON encoding (opentelemetry-proto `docs/specification.md`, "JSON Protobuf
/// Encoding"): trace and span ids as lowercase hex (not base64), enum values as integers, lowerCamelCase field
/// names, 64-bit integers as decimal strings; fields at their default value are omitted, as protobuf's JSON mapping
/// does. Spans are grouped by instrumentation scope under one resource.
public struct OTLPJSONEncoder: Sendable {
    /// The resource every encoded span belongs to.
    public let resource: Resource

    /// Creates an encoder for spans of `resource`.
    public init(resource: Resource) {
        self.resource = resource
    }

    /// Encodes `spans` into a single JSON object (no trailing newline).
    public func encode(_ spans: [FinishedSpan]) -> [UInt8] {
        var w = JSONWriter(capacity: 512 + spans.count * 1024)
        encode(spans, into: &w)
        return w.bytes
    }

    /// Appends the JSON object for `spans` to `w`.
    public func encode(_ spans: [FinishedSpan], into w: inout JSONWriter) {
        w.raw("{\"resourceSpans\":[{\"resource\":{")
        Self.attributesMember(resource.attributes, into: &w, first: true)
        w.raw("},\"scopeSpans\":[")
        var firstScope = true
        for (scope, indices) in Self.groupedByScope(spans) {
            w.comma(&firstScope)
            w.raw("{\"scope\":{")
            w.key("name")
            w.string(scope.name)
            if let version = scope.version, !version.isEmpty {
                w.raw(",")
                w.key("version")
                w.string(version)
            }
            w.raw("},\"spans\":[")
            var firstSpan = true
            for i in indices {
                w.comma(&firstSpan)
                Self.span(spans[i], into: &w)
            }
            w.raw("]}")
        }
        w.raw("]}]}")
    }

    /// Span indices grouped by scope, in first-seen order.
    static func groupedByScope(_ spans: [FinishedSpan]) -> [(InstrumentationScope, [Int])] {
        var groups: [(InstrumentationScope, [Int])] = []
        for (i, span) in spans.enumerated() {
            if let g = groups.firstIndex(where: { $0.0 == span.scope }) {
                groups[g].1.append(i)
            } else {
                groups.append((span.scope, [i]))
            }
        }
        return groups
    }

    static func span(_ span: FinishedSpan, into w: inout JSONWriter) {
        w.raw("{")
        w.key("traceId")
        hex(span.context.traceID, into: &w)
        w.raw(",")
        w.key("spanId")
        hex(span.context.spanID, into: &w)
        if !span.context.traceState.isEmpty {
            w.raw(",")
            w.key("traceState")
            w.string(span.context.traceState.headerValue)
        }
        if let parent = span.parentSpanID, parent.isValid {
            w.raw(",")
            w.key("parentSpanId")
            hex(parent, into: &w)
        }
        if span.context.traceFlags.rawValue != 0 {
            w.raw(",")
            w.key("flags")
            w.integer(UInt64(span.context.traceFlags.rawValue))
        }
        w.raw(",")
        w.key("name")
        w.string(span.name)
        w.raw(",")
        w.key("kind")
        w.integer(UInt64(span.kind.otlpValue))
        w.raw(",")
        w.key("startTimeUnixNano")
        w.quotedInteger(span.startTimeUnixNano)
        w.raw(",")
        w.key("endTimeUnixNano")
        w.quotedInteger(span.endTimeUnixNano)
        attributesMember(span.attributes, into: &w, first: false)
        if !span.events.isEmpty {
            w.raw(",\"events\":[")
            var first = true
            for event in span.events {
                w.comma(&first)
                w.raw("{")
                w.key("timeUnixNano")
                w.quotedInteger(event.timeUnixNano)
                w.raw(",")
                w.key("name")
                w.string(event.name)
                attributesMember(event.attributes, into: &w, first: false)
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
                w.key("traceId")
                hex(link.context.traceID, into: &w)
                w.raw(",")
                w.key("spanId")
                hex(link.context.spanID, into: &w)
                if !link.context.traceState.isEmpty {
                    w.raw(",")
                    w.key("traceState")
                    w.string(link.context.traceState.headerValue)
                }
                attributesMember(link.attributes, into: &w, first: false)
                if link.context.traceFlags.rawValue != 0 {
                    w.raw(",\"flags\":")
                    w.integer(UInt64(link.context.traceFlags.rawValue))
                }
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
                w.key("message")
                w.string(description)
                w.raw(",")
            }
            w.raw("\"code\":2}")
        }
        w.raw("}")
    }

    /// Writes `"attributes":[...]` (when non-empty) and `"droppedAttributesCount"` (when non-zero).
    static func attributesMember(_ attributes: SpanAttributeList, into w: inout JSONWriter, first: Bool) {
        var needsComma = !first
        if !attributes.isEmpty {
            if needsComma { w.raw(",") }
            w.raw("\"attributes\":[")
            var firstAttribute = true
            for attribute in attributes {
                w.comma(&firstAttribute)
                w.raw("{")
                w.key("key")
                w.string(attribute.key)
                w.raw(",")
                w.key("value")
                anyValue(attribute.value, into: &w)
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

    /// Writes an OTLP `AnyValue` object.
    static func anyValue(_ value: AttributeValue, into w: inout JSONWriter) {
        switch value {
        case .string(let s):
            w.raw("{\"stringValue\":")
            w.string(s)
        case .bool(let b):
            w.raw("{\"boolValue\":")
            w.bool(b)
        case .int(let i):
            w.raw("{\"intValue\":")
            w.quotedInteger(i)
        case .double(let d):
            w.raw("{\"doubleValue\":")
            w.double(d)
        case .stringArray(let items):
            w.raw("{\"arrayValue\":{\"values\":[")
            var first = true
            for item in items {
                w.comma(&first)
                w.raw("{\"stringValue\":")
                w.string(item)
                w.raw("}")
            }
            w.raw("]}")
        case .boolArray(let items):
            w.raw("{\"arrayValue\":{\"values\":[")
            var first = true
            for item in items {
                w.comma(&first)
                w.raw("{\"boolValue\":")
                w.bool(item)
                w.raw("}")
            }
            w.raw("]}")
        case .intArray(let items):
            w.raw("{\"arrayValue\":{\"values\":[")
            var first = true
            for item in items {
                w.comma(&first)
                w.raw("{\"intValue\":")
                w.quotedInteger(item)
                w.raw("}")
            }
            w.raw("]}")
        case .doubleArray(let items):
            w.raw("{\"arrayValue\":{\"values\":[")
            var first = true
            for item in items {
                w.comma(&first)
                w.raw("{\"doubleValue\":")
                w.double(item)
                w.raw("}")
            }
            w.raw("]}")
        }
        w.raw("}")
    }

    static func hex(_ id: TraceID, into w: inout JSONWriter) {
        w.byte(UInt8(ascii: "\""))
        let start = w.bytes.count
        w.bytes.append(contentsOf: repeatElement(0, count: 32))
        w.bytes.withUnsafeMutableBytes { id.writeHex(into: UnsafeMutableRawBufferPointer(rebasing: $0[start..<(start + 32)])) }
        w.byte(UInt8(ascii: "\""))
    }

    static func hex(_ id: SpanID, into w: inout JSONWriter) {
        w.byte(UInt8(ascii: "\""))
        let start = w.bytes.count
        w.bytes.append(contentsOf: repeatElement(0, count: 16))
        w.bytes.withUnsafeMutableBytes { id.writeHex(into: UnsafeMutableRawBufferPointer(rebasing: $0[start..<(start + 16)])) }
        w.byte(UInt8(ascii: "\""))
    }
}
