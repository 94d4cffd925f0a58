import TraceCore

/// Encodes spans as a Zipkin v2 JSON array (`application/json`), the body of `POST /api/v2/spans`.
///
/// Model from zipkin-api `zipkin2-api.yaml`; mapping from the OpenTelemetry specification's "OpenTelemetry to
/// Zipkin Transformation" (trace/sdk_exporters/zipkin.md) and the generic "Transformation to non-OTLP Formats":
/// - `traceId` is 32 lowercase hex digits, `id` and `parentId` (absent for a root span) 16.
/// - `kind` is `CLIENT`/`SERVER`/`PRODUCER`/`CONSUMER`, absent for internal spans.
/// - `timestamp` and `duration` are whole microseconds, truncated; `duration` is at least 1, because Zipkin
///   reads 0 as "not set".
/// - `localEndpoint.serviceName` is the resource's `service.name` (`unknown_service` if absent); other resource
///   attributes are not sent (the specification leaves resources to be defined).
/// - On client and producer spans `remoteEndpoint` has `serviceName` from `peer.service`, else from
///   `server.address` when that is a host name; `ipv4`/`ipv6` from `network.peer.address` (else `server.address`)
///   when it is an IP literal, and `port` from the matching `network.peer.port` (else `server.port`).
/// - `tags` are the attributes as strings (`true`/`false`, decimal integers, shortest doubles, arrays as a JSON
///   list), then `otel.scope.name`, `otel.scope.version`, `otel.status_code` (`OK`/`ERROR`), `error` (the status
///   description, "" if none, only for error status; an attribute named `error` is then left out, as is a
///   `false` one), and the `otel.dropped_*_count` counts when non-zero.
/// - Each event is an annotation at its time (µs) whose `value` is the event name, or, when it has attributes, the
///   JSON text `{"<name>":{"<key>":<value>,...}}`.
/// Fields that would be empty are omitted, as the specification asks.
public struct ZipkinJSONEncoder: Sendable {
    /// The resource every encoded span belongs to.
    public let resource: Resource

    /// `,"localEndpoint":{"serviceName":"…"}`, encoded once.
    let localEndpoint: [UInt8]

    /// Creates an encoder for spans of `resource`.
    public init(resource: Resource) {
        self.resource = resource
        var serviceName = JaegerThriftEncoder.unknownServiceName
        if case .string(let name)? = resource.attributes[SemanticAttributes.serviceName] { serviceName = name }
        var w = JSONWriter(capacity: 64)
        w.raw(",\"localEndpoint\":{\"serviceName\":")
        w.string(serviceName)
        w.raw("}")
        localEndpoint = w.bytes
    }

    /// Encodes `spans` into a new array (allocates; exporters reuse a buffer with `encode(_:into:)`).
    public func encode(_ spans: [FinishedSpan]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(2 + spans.count * 1024)
        encode(spans, into: &out)
        return out
    }

    /// Appends the JSON array for `spans` to `out` (existing bytes are kept).
    ///
    /// With `out` cleared and reused between batches this allocates nothing per span once warm (attributes are read
    /// in place with `SpanAttributeList.forEachView`), except for array, double and event-attribute values, whose
    /// text is built with a temporary string, and string values that are ill-formed UTF-8 (repaired in a temporary
    /// string, `UTF8Repair`).
    public func encode(_ spans: [FinishedSpan], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        var first = true
        spans.withUnsafeBufferPointer { spans in  // indexed: each span borrowed, no retain per span
            for index in spans.indices {
                JSONRawWriter.withRoom(sizeBound(spans[index]), in: &out) { w in
                    w.comma(&first)
                    self.span(spans[index], into: &w)
                }
            }
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Writes one span object.
    func span(_ span: FinishedSpan, into w: inout JSONRawWriter) {
        w.raw("{\"traceId\":")
        w.hex(span.context.traceID)
        w.raw(",\"id\":")
        w.hex(span.context.spanID)
        if let parent = span.parentSpanID, parent.isValid {
            w.raw(",\"parentId\":")
            w.hex(parent)
        }
        switch span.kind {
        case .internal: break
        case .server: w.raw(",\"kind\":\"SERVER\"")
        case .client: w.raw(",\"kind\":\"CLIENT\"")
        case .producer: w.raw(",\"kind\":\"PRODUCER\"")
        case .consumer: w.raw(",\"kind\":\"CONSUMER\"")
        }
        w.raw(",\"name\":")
        w.string(span.name)
        w.raw(",\"timestamp\":")
        w.integer(span.startTimeUnixNano / 1_000)
        w.raw(",\"duration\":")
        w.integer(Swift.max(1, (span.endTimeUnixNano &- span.startTimeUnixNano) / 1_000))
        localEndpoint.withUnsafeBytes { w.bytes($0) }
        if span.kind == .client || span.kind == .producer {
            Self.remoteEndpoint(span.attributes, into: &w)
        }
        if !span.events.isEmpty {
            w.raw(",\"annotations\":[")
            var first = true
            for event in span.events {
                w.comma(&first)
                w.raw("{\"timestamp\":")
                w.integer(event.timeUnixNano / 1_000)
                w.raw(",\"value\":")
                Self.annotationValue(event, into: &w)
                w.raw("}")
            }
            w.raw("]")
        }
        Self.tags(span, into: &w)
        w.raw("}")
    }

    /// Whether an attribute is left out of the tags: `error` when the status is error (the status supplies it), or
    /// a `false` one (Zipkin would read any `error` tag as a failure).
    @inline(__always)
    static func isSkippedTag(_ key: UnsafeRawBufferPointer, _ value: AttributeValueView, isError: Bool) -> Bool {
        guard key.equals("error") else { return false }
        if isError { return true }
        switch value {
        case .bool(false): return true
        case .string(let utf8): return utf8.equals("false")
        default: return false
        }
    }

    /// Writes `,"tags":{…}` unless there is nothing to tag.
    static func tags(_ span: FinishedSpan, into w: inout JSONRawWriter) {
        var isError = false
        if case .error = span.status { isError = true }
        var hasTags = !span.scope.name.isEmpty || span.status != .unset || span.attributes.droppedCount > 0
            || span.droppedEventsCount > 0 || span.droppedLinksCount > 0
        if !hasTags {
            span.attributes.forEachView { key, value in
                if !hasTags && !isSkippedTag(key, value, isError: isError) { hasTags = true }
            }
        }
        guard hasTags else { return }
        w.raw(",\"tags\":{")
        var first = true
        span.attributes.forEachView { key, value in
            guard !isSkippedTag(key, value, isError: isError) else { return }
            w.comma(&first)
            w.string(wellFormedUTF8: key)
            w.byte(UInt8(ascii: ":"))
            tagValue(value, into: &w)
        }
        if !span.scope.name.isEmpty {
            w.comma(&first)
            w.raw("\"otel.scope.name\":")
            w.string(span.scope.name)
        }
        if let version = span.scope.version, !version.isEmpty {
            w.comma(&first)
            w.raw("\"otel.scope.version\":")
            w.string(version)
        }
        switch span.status {
        case .unset:
            break
        case .ok:
            w.comma(&first)
            w.raw("\"otel.status_code\":\"OK\"")
        case .error(let description):
            w.comma(&first)
            w.raw("\"otel.status_code\":\"ERROR\",\"error\":")
            w.string(description)
        }
        if span.attributes.droppedCount > 0 {
            w.comma(&first)
            w.raw("\"otel.dropped_attributes_count\":")
            w.quotedInteger(Int64(span.attributes.droppedCount))
        }
        if span.droppedEventsCount > 0 {
            w.comma(&first)
            w.raw("\"otel.dropped_events_count\":")
            w.quotedInteger(Int64(span.droppedEventsCount))
        }
        if span.droppedLinksCount > 0 {
            w.comma(&first)
            w.raw("\"otel.dropped_links_count\":")
            w.quotedInteger(Int64(span.droppedLinksCount))
        }
        w.byte(UInt8(ascii: "}"))
    }

    /// Writes a tag value, read in place, as a JSON string (string bytes repaired if ill-formed UTF-8).
    @inline(__always)
    static func tagValue(_ value: AttributeValueView, into w: inout JSONRawWriter) {
        switch value {
        case .string(let utf8):
            w.string(utf8: utf8)
        case .bool(let b):
            if b { w.raw("\"true\"") } else { w.raw("\"false\"") }
        case .int(let i):
            w.quotedInteger(i)
        case .double(let d) where d.isFinite:
            // A finite double's text needs no escaping: written in place, no temporary buffer.
            w.byte(UInt8(ascii: "\""))
            w.shortestDouble(d)
            w.byte(UInt8(ascii: "\""))
        case .double(let d):
            textTagValue(.double(d), into: &w)
        case .array(let array):
            textTagValue(array, into: &w)
        }
    }

    /// Writes a double or array tag value as a JSON string holding its text (built in a temporary buffer).
    static func textTagValue(_ value: AttributeValue, into w: inout JSONRawWriter) {
        var text = JSONWriter(capacity: 0)
        AttributeText.plain(value, into: &text)
        w.byte(UInt8(ascii: "\""))
        text.bytes.withUnsafeBytes { w.escaped($0) }
        w.byte(UInt8(ascii: "\""))
    }

    /// Writes an annotation value: the event name, or `{"<name>":{attributes}}` as JSON text in a string.
    static func annotationValue(_ event: SpanEvent, into w: inout JSONRawWriter) {
        guard !event.attributes.isEmpty else {
            w.string(event.name)
            return
        }
        var text = JSONWriter(capacity: 128)
        text.byte(UInt8(ascii: "{"))
        text.string(event.name)
        text.raw(":{")
        var first = true
        event.attributes.forEachView { key, value in
            text.comma(&first)
            text.string(wellFormedUTF8: key)
            text.byte(UInt8(ascii: ":"))
            AttributeText.json(value, into: &text)
        }
        text.raw("}}")
        w.byte(UInt8(ascii: "\""))
        text.bytes.withUnsafeBytes { w.escaped($0) }
        w.byte(UInt8(ascii: "\""))
    }

    /// Writes `,"remoteEndpoint":{…}` from the peer attributes, or nothing when none apply.
    ///
    /// One pass over the attributes finds the peer ones (`RemotePeer`); the service name and IP, which must be
    /// written in that order whatever the attributes' order, are then copied from the list by position.
    static func remoteEndpoint(_ attributes: SpanAttributeList, into w: inout JSONRawWriter) {
        let peer = RemotePeer(attributes)
        let serviceName = peer.serviceNameIndex
        let (ip, ipKind) = peer.ip
        let port = peer.port
        guard serviceName != nil || ip != nil || port != nil else { return }
        w.raw(",\"remoteEndpoint\":{")
        var first = true
        if let serviceName {
            w.comma(&first)
            w.raw("\"serviceName\":")
            stringValue(at: serviceName, of: attributes, into: &w)
        }
        if let ip {
            w.comma(&first)
            if ipKind == .v4 { w.raw("\"ipv4\":") } else { w.raw("\"ipv6\":") }
            stringValue(at: ip, of: attributes, into: &w)
        }
        if let port {
            w.comma(&first)
            w.raw("\"port\":")
            w.integer(port)
        }
        w.raw("}")
    }

    /// Writes the string value of the attribute at `index` as a JSON string (repaired if ill-formed UTF-8).
    static func stringValue(at index: Int, of attributes: SpanAttributeList, into w: inout JSONRawWriter) {
        var position = 0
        attributes.forEachView { _, value in
            if position == index, case .string(let utf8) = value { w.string(utf8: utf8) }
            position &+= 1
        }
    }

    /// An upper bound of the bytes `span` takes (with a leading comma), never below the exact size: every string
    /// byte counted as 6 (its longest escape), integers as 20 digits, JSON-in-a-string text escaped twice.
    func sizeBound(_ span: FinishedSpan) -> Int {
        // Keys, punctuation, ids, kind, two integers: 220; scope and status tags and three dropped counts: 240.
        var n = 460 &+ localEndpoint.count &+ 6 &* span.name.utf8.count
        n &+= 6 &* (span.scope.name.utf8.count &+ (span.scope.version?.utf8.count ?? 0))
        if case .error(let description) = span.status { n &+= 6 &* description.utf8.count }
        var attributes = 0
        span.attributes.forEachView { key, value in
            attributes &+= 4 &+ 6 &* key.count &+ Self.tagValueBound(value)
        }
        n &+= attributes
        // The remote endpoint repeats at most three attribute values (service name, address, port).
        if span.kind == .client || span.kind == .producer { n &+= 120 &+ attributes }
        for event in span.events {
            var text = 8 &+ 6 &* event.name.utf8.count
            event.attributes.forEachView { key, value in
                text &+= 4 &+ 6 &* key.count &+ Self.jsonBound(value)
            }
            n &+= 60 &+ 6 &* text
        }
        return n
    }

    /// Upper bound of a tag value written by `tagValue` (a string byte takes at most 6 bytes, escaped or repaired).
    @inline(__always)
    static func tagValueBound(_ value: AttributeValueView) -> Int {
        switch value {
        case .string(let utf8): return 2 &+ 6 &* utf8.count
        case .bool, .int: return 22
        case .double: return 36
        case .array(let array): return 2 &+ 6 &* jsonBound(array)
        }
    }

    /// Upper bound of `AttributeText.json(value)` for a value read in place.
    @inline(__always)
    static func jsonBound(_ value: AttributeValueView) -> Int {
        switch value {
        case .string(let utf8): return 2 &+ 6 &* utf8.count
        case .bool, .int: return 20
        case .double: return 34
        case .array(let array): return jsonBound(array)
        }
    }

    /// Upper bound of `AttributeText.json(value)`.
    @inline(__always)
    static func jsonBound(_ value: AttributeValue) -> Int {
        switch value {
        case .string(let s): return 2 &+ 6 &* s.utf8.count
        case .bool, .int: return 20
        case .double: return 34
        case .stringArray(let items):
            var n = 2
            for item in items { n &+= 3 &+ 6 &* item.utf8.count }
            return n
        case .boolArray(let items): return 2 &+ 6 &* items.count
        case .intArray(let items): return 2 &+ 21 &* items.count
        case .doubleArray(let items): return 2 &+ 35 &* items.count
        }
    }
}
