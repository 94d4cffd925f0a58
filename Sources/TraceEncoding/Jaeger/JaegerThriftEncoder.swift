import TraceCore

/// Encodes spans as one Jaeger Thrift `Batch` in the Thrift binary protocol, the body Jaeger's collector takes at
/// `/api/traces` (`Content-Type: application/vnd.apache.thrift.binary`).
///
/// Structs from jaeger-idl `thrift/jaeger.thrift`; mapping from the OpenTelemetry specification's "OpenTelemetry to
/// Jaeger Transformation" (trace/sdk_exporters/jaeger.md, removed in 2024) and the generic "Transformation to
/// non-OTLP Formats":
/// - `Process.serviceName` is the resource's `service.name` (`unknown_service` if absent); the other resource
///   attributes are the process tags. Both are encoded once, at init.
/// - `traceIdHigh`/`traceIdLow` and `spanId` are the big-endian halves re-read as signed i64; `parentSpanId` is 0
///   for a root span. The parent is also the first reference (`CHILD_OF`), then one `FOLLOWS_FROM` per link.
/// - `flags` is 1 when sampled, else 0: Jaeger's bit 2 means "debug", so the W3C `random` flag is not copied.
/// - `startTime` and `duration` are microseconds, truncated (`duration` = (end − start) / 1000).
/// - Tags: the attributes with their Jaeger types (string, bool, long, double; arrays as a JSON list in a string
///   tag), then `span.kind` (`client`/`server`/`producer`/`consumer`, none for internal), `otel.scope.name`,
///   `otel.scope.version` (when non-empty), `otel.status_code` (`OK`/`ERROR`, none when unset),
///   `otel.status_description` (error with a description), `error` = true (error status; an attribute named
///   `error` is then left out), and `otel.dropped_attributes_count`/`otel.dropped_events_count`/
///   `otel.dropped_links_count` as longs when non-zero.
/// - Each event is a log at its time (µs) with fields: its attributes, `event` = the event name (unless an
///   attribute named `event` exists, which takes precedence), and `otel.event.dropped_attributes_count` when
///   non-zero.
public struct JaegerThriftEncoder: Sendable {
    /// The resource every encoded span belongs to.
    public let resource: Resource

    /// `Batch.process` (field header and `Process` struct), encoded once.
    let processField: [UInt8]

    /// The service name used when the resource has no `service.name`.
    public static let unknownServiceName = "unknown_service"

    /// Creates an encoder for spans of `resource`.
    public init(resource: Resource) {
        self.resource = resource
        var serviceName = Self.unknownServiceName
        if case .string(let name)? = resource.attributes[SemanticAttributes.serviceName] { serviceName = name }
        var bytes: [UInt8] = []
        var bound = 32 + serviceName.utf8.count
        var otherCount = 0
        resource.attributes.forEachView { key, value in
            guard !Self.isServiceName(key) else { return }
            bound &+= Self.tagBound(key, value)
            otherCount &+= 1
        }
        ThriftBinaryWriter.withRoom(bound, in: &bytes) { w in
            w.field(ThriftBinaryWriter.FieldType.struct, 1)
            w.field(ThriftBinaryWriter.FieldType.string, 1)
            w.string(serviceName)
            if otherCount > 0 {
                w.field(ThriftBinaryWriter.FieldType.list, 2)
                w.listHeader(ThriftBinaryWriter.FieldType.struct, count: otherCount)
                resource.attributes.forEachView { key, value in
                    if !Self.isServiceName(key) { Self.tag(key, value, into: &w) }
                }
            }
            w.stop()
        }
        processField = bytes
    }

    /// Whether an attribute key is `service.name`, which becomes `Process.serviceName` rather than a process tag.
    @inline(__always)
    static func isServiceName(_ key: UnsafeRawBufferPointer) -> Bool {
        key.equals("service.name")
    }

    /// Encodes `spans` into a new array (allocates; exporters reuse a buffer with `encode(_:into:)`).
    public func encode(_ spans: [FinishedSpan]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + spans.count * 1024)
        encode(spans, into: &out)
        return out
    }

    /// Appends the `Batch` for `spans` to `out` (existing bytes are kept).
    ///
    /// With `out` cleared and reused between batches this allocates nothing per span once warm (attributes are read
    /// in place with `SpanAttributeList.forEachView`), except for array attribute values, whose JSON text is built
    /// with a temporary string, and string values that are ill-formed UTF-8 (repaired in a temporary string,
    /// `UTF8Repair`).
    public func encode(_ spans: [FinishedSpan], into out: inout [UInt8]) {
        out.append(contentsOf: processField)
        ThriftBinaryWriter.withRoom(8, in: &out) { w in
            w.field(ThriftBinaryWriter.FieldType.list, 2)
            w.listHeader(ThriftBinaryWriter.FieldType.struct, count: spans.count)
        }
        spans.withUnsafeBufferPointer { spans in  // indexed: each span borrowed, no retain per span
            for index in spans.indices {
                ThriftBinaryWriter.withRoom(Self.sizeBound(spans[index]), in: &out) { w in Self.span(spans[index], into: &w) }
            }
        }
        out.append(0)  // Batch STOP
    }

    /// Jaeger `SpanRefType` values.
    enum SpanRefType {
        static let childOf: Int32 = 0
        static let followsFrom: Int32 = 1
    }

    /// Jaeger `TagType` values.
    enum TagType {
        static let string: Int32 = 0
        static let double: Int32 = 1
        static let bool: Int32 = 2
        static let long: Int32 = 3
    }

    /// Writes one `Span` struct.
    static func span(_ span: FinishedSpan, into w: inout ThriftBinaryWriter) {
        typealias T = ThriftBinaryWriter.FieldType
        let traceID = span.context.traceID
        w.field(T.i64, 1)
        w.i64(Int64(bitPattern: traceID.low))
        w.field(T.i64, 2)
        w.i64(Int64(bitPattern: traceID.high))
        w.field(T.i64, 3)
        w.i64(Int64(bitPattern: span.context.spanID.rawValue))
        let parent = span.parentSpanID ?? .invalid
        w.field(T.i64, 4)
        w.i64(Int64(bitPattern: parent.rawValue))
        w.field(T.string, 5)
        w.string(span.name)
        let referenceCount = (parent.isValid ? 1 : 0) + span.links.count
        if referenceCount > 0 {
            w.field(T.list, 6)
            w.listHeader(T.struct, count: referenceCount)
            if parent.isValid { reference(SpanRefType.childOf, traceID, parent, into: &w) }
            for link in span.links {
                reference(SpanRefType.followsFrom, link.context.traceID, link.context.spanID, into: &w)
            }
        }
        w.field(T.i32, 7)
        w.i32(span.context.traceFlags.contains(.sampled) ? 1 : 0)
        w.field(T.i64, 8)
        w.i64(Int64(bitPattern: span.startTimeUnixNano / 1_000))
        w.field(T.i64, 9)
        w.i64(Int64(bitPattern: (span.endTimeUnixNano &- span.startTimeUnixNano) / 1_000))
        tags(span, into: &w)
        if !span.events.isEmpty {
            w.field(T.list, 11)
            w.listHeader(T.struct, count: span.events.count)
            for event in span.events { log(event, into: &w) }
        }
        w.stop()
    }

    /// Writes the `tags` field (10) of a span: attributes, then the mapped span kind, scope, status and counts.
    static func tags(_ span: FinishedSpan, into w: inout ThriftBinaryWriter) {
        w.field(ThriftBinaryWriter.FieldType.list, 10)
        let countPosition = w.beginList(ThriftBinaryWriter.FieldType.struct)
        var count = 0
        var isError = false
        if case .error = span.status { isError = true }
        span.attributes.forEachView { key, value in
            if isError && key.equals("error") { return }
            tag(key, value, into: &w)
            count &+= 1
        }
        if let kind = kindName(span.kind) {
            stringTag("span.kind", kind, into: &w)
            count &+= 1
        }
        if !span.scope.name.isEmpty {
            stringTag("otel.scope.name", span.scope.name, into: &w)
            count &+= 1
        }
        if let version = span.scope.version, !version.isEmpty {
            stringTag("otel.scope.version", version, into: &w)
            count &+= 1
        }
        switch span.status {
        case .unset:
            break
        case .ok:
            stringTag("otel.status_code", "OK", into: &w)
            count &+= 1
        case .error(let description):
            stringTag("otel.status_code", "ERROR", into: &w)
            count &+= 1
            if !description.isEmpty {
                stringTag("otel.status_description", description, into: &w)
                count &+= 1
            }
            tag(UnsafeRawBufferPointer("error"), .bool(true), into: &w)
            count &+= 1
        }
        if span.attributes.droppedCount > 0 {
            tag(UnsafeRawBufferPointer("otel.dropped_attributes_count"), .int(Int64(span.attributes.droppedCount)), into: &w)
            count &+= 1
        }
        if span.droppedEventsCount > 0 {
            tag(UnsafeRawBufferPointer("otel.dropped_events_count"), .int(Int64(span.droppedEventsCount)), into: &w)
            count &+= 1
        }
        if span.droppedLinksCount > 0 {
            tag(UnsafeRawBufferPointer("otel.dropped_links_count"), .int(Int64(span.droppedLinksCount)), into: &w)
            count &+= 1
        }
        w.patchCount(countPosition, count)
    }

    /// Writes one `Log` struct for an event.
    static func log(_ event: SpanEvent, into w: inout ThriftBinaryWriter) {
        typealias T = ThriftBinaryWriter.FieldType
        w.field(T.i64, 1)
        w.i64(Int64(bitPattern: event.timeUnixNano / 1_000))
        w.field(T.list, 2)
        let countPosition = w.beginList(T.struct)
        var count = 0
        var hasEventAttribute = false
        event.attributes.forEachView { key, value in
            if key.equals("event") { hasEventAttribute = true }
            tag(key, value, into: &w)
            count &+= 1
        }
        if !hasEventAttribute {
            stringTag("event", event.name, into: &w)
            count &+= 1
        }
        if event.attributes.droppedCount > 0 {
            tag(UnsafeRawBufferPointer("otel.event.dropped_attributes_count"), .int(Int64(event.attributes.droppedCount)), into: &w)
            count &+= 1
        }
        w.patchCount(countPosition, count)
        w.stop()
    }

    /// Writes one `SpanRef` struct.
    @inline(__always)
    static func reference(_ type: Int32, _ traceID: TraceID, _ spanID: SpanID, into w: inout ThriftBinaryWriter) {
        typealias T = ThriftBinaryWriter.FieldType
        w.field(T.i32, 1)
        w.i32(type)
        w.field(T.i64, 2)
        w.i64(Int64(bitPattern: traceID.low))
        w.field(T.i64, 3)
        w.i64(Int64(bitPattern: traceID.high))
        w.field(T.i64, 4)
        w.i64(Int64(bitPattern: spanID.rawValue))
        w.stop()
    }

    /// Writes a string `Tag` struct with a literal key.
    @inline(__always)
    static func stringTag(_ key: StaticString, _ value: String, into w: inout ThriftBinaryWriter) {
        typealias T = ThriftBinaryWriter.FieldType
        w.field(T.string, 1)
        w.string(wellFormedUTF8: UnsafeRawBufferPointer(key))
        w.field(T.i32, 2)
        w.i32(TagType.string)
        w.field(T.string, 3)
        w.string(value)
        w.stop()
    }

    /// Writes a `Tag` struct typed after `value`, read in place; arrays become a string tag holding a JSON list.
    ///
    /// `key` must be well-formed UTF-8 (attribute keys and literals are); string values are repaired if not.
    static func tag(_ key: UnsafeRawBufferPointer, _ value: AttributeValueView, into w: inout ThriftBinaryWriter) {
        typealias T = ThriftBinaryWriter.FieldType
        w.field(T.string, 1)
        w.string(wellFormedUTF8: key)
        w.field(T.i32, 2)
        switch value {
        case .string(let utf8):
            w.i32(TagType.string)
            w.field(T.string, 3)
            w.string(utf8: utf8)
        case .double(let d):
            w.i32(TagType.double)
            w.field(T.double, 4)
            w.double(d)
        case .bool(let b):
            w.i32(TagType.bool)
            w.field(T.bool, 5)
            w.bool(b)
        case .int(let i):
            w.i32(TagType.long)
            w.field(T.i64, 6)
            w.i64(i)
        case .array(let array):
            w.i32(TagType.string)
            w.field(T.string, 3)
            var json = JSONWriter(capacity: 0)
            AttributeText.json(array, into: &json)
            w.i32(Int32(truncatingIfNeeded: json.bytes.count))
            json.bytes.withUnsafeBytes { w.bytes($0) }
        }
        w.stop()
    }

    /// An upper bound of the bytes `span` takes as a `Span` struct, never below the exact size.
    static func sizeBound(_ span: FinishedSpan) -> Int {
        // Ids, name header, flags, times, three list headers and STOP: 105; references 41 each; the nine mapped tags
        // (kind, scope name and version, status code and description, error, three dropped counts) with their keys
        // and fixed-size values: 407, plus the scope and status text.
        var n = 128 &+ span.name.utf8.count &+ 41 &* (span.links.count &+ 1) &+ 480
        n &+= span.scope.name.utf8.count &+ (span.scope.version?.utf8.count ?? 0)
        if case .error(let description) = span.status { n &+= description.utf8.count }
        span.attributes.forEachView { key, value in n &+= tagBound(key, value) }
        for event in span.events {
            n &+= 24 &+ 30 &+ event.name.utf8.count &+ 70
            event.attributes.forEachView { key, value in n &+= tagBound(key, value) }
        }
        return n
    }

    /// An upper bound of one `Tag` struct's bytes: key and type fields, the value field, STOP. String bytes are
    /// counted as they may be after repair of ill-formed UTF-8 (`UTF8Repair.repairedBound`).
    @inline(__always)
    static func tagBound(_ key: UnsafeRawBufferPointer, _ value: AttributeValueView) -> Int {
        let fixed = 3 + 4 + 3 + 4 + 3 + 4 + 1 &+ key.count
        switch value {
        case .string(let utf8): return fixed &+ UTF8Repair.repairedBound(utf8.count)
        case .bool, .int, .double: return fixed &+ 8
        case .array(let array): return fixed &+ arrayTextBound(array)
        }
    }

    /// An upper bound of the JSON list text of an array value (its string tag's value bytes).
    static func arrayTextBound(_ value: AttributeValue) -> Int {
        switch value {
        case .string(let s): return s.utf8.count
        case .bool, .int, .double: return 8
        case .stringArray(let items):
            // JSON text: brackets, commas, quotes, and each byte escaped at worst as \u00XX (6 bytes).
            var n = 2
            for item in items { n &+= 3 &+ 6 &* item.utf8.count }
            return n
        case .boolArray(let items): return 2 &+ 6 &* items.count
        case .intArray(let items): return 2 &+ 21 &* items.count
        case .doubleArray(let items): return 2 &+ 33 &* items.count
        }
    }

    /// The `span.kind` tag value, nil for internal spans (which get no tag).
    static func kindName(_ kind: SpanKind) -> String? {
        switch kind {
        case .internal: return nil
        case .server: return "server"
        case .client: return "client"
        case .producer: return "producer"
        case .consumer: return "consumer"
        }
    }
}
