import Foundation
import TraceCore
import XCTest

@testable import TraceEncoding

/// Every encoder's output for one span, so two spans meant to encode alike can be compared in one assertion each.
struct AllEncodings {
    var protobuf: [UInt8]
    var jaeger: [UInt8]
    var zipkin: [UInt8]
    var otlpJSON: [UInt8]
    var console: [UInt8]

    init(_ span: FinishedSpan, resource: Resource) {
        protobuf = OTLPProtobufEncoder(resource: resource).encode([span])
        jaeger = JaegerThriftEncoder(resource: resource).encode([span])
        zipkin = ZipkinJSONEncoder(resource: resource).encode([span])
        otlpJSON = OTLPJSONEncoder(resource: resource).encode([span])
        console = []
        ConsoleSpanFormatter.format(span, into: &console)
    }

    /// Asserts each encoder wrote the same bytes for both spans.
    static func assertEqual(_ a: AllEncodings, _ b: AllEncodings, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.protobuf, b.protobuf, "OTLP protobuf: " + Golden.firstDifference(a.protobuf, b.protobuf), file: file, line: line)
        XCTAssertEqual(a.jaeger, b.jaeger, "Jaeger: " + Golden.firstDifference(a.jaeger, b.jaeger), file: file, line: line)
        XCTAssertEqual(String(decoding: a.zipkin, as: UTF8.self), String(decoding: b.zipkin, as: UTF8.self), "Zipkin", file: file, line: line)
        XCTAssertEqual(a.zipkin, b.zipkin, "Zipkin bytes", file: file, line: line)
        XCTAssertEqual(String(decoding: a.otlpJSON, as: UTF8.self), String(decoding: b.otlpJSON, as: UTF8.self), "OTLP/JSON", file: file, line: line)
        XCTAssertEqual(a.otlpJSON, b.otlpJSON, "OTLP/JSON bytes", file: file, line: line)
        XCTAssertEqual(a.console, b.console, "console", file: file, line: line)
    }
}

/// Encoders read attributes in place (`forEachView`): ill-formed UTF-8 values, run-time keys and array values.
final class InPlaceAttributeEncodingTests: XCTestCase {
    /// Ill-formed UTF-8 of every kind, with escapes and a non-ASCII run long enough for the 8-byte fast path.
    static let illFormed: [UInt8] = Array("a".utf8) + [0xFF] + Array("b\"\n".utf8) + [0xC3, 0x28]
        + Array("ü and a run long enough for the fast path".utf8) + [0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80]
        + [0xC0, 0xAF] + Array("end".utf8) + [0xE2, 0x82]

    /// `illFormed` as `String(decoding:as:)` repairs it: what the `String`-based path wrote.
    static let repaired = String(decoding: illFormed, as: UTF8.self)

    /// A CLIENT span (so Zipkin writes a remote endpoint) whose string values are set by `setString`, with ill-formed
    /// UTF-8 in span, event, link and resource attributes and in the Zipkin peer service name.
    static func illFormedSpan(_ setString: (inout SpanAttributeList, AttributeKey, [UInt8]) -> Void) -> (FinishedSpan, Resource) {
        var a = SpanAttributeList(limits: .default)
        a.set("http.request.method", "GET")
        setString(&a, "bad.value", illFormed)
        setString(&a, "peer.service", illFormed)
        setString(&a, "network.peer.address", Array("10.0.0.7".utf8))
        a.set("network.peer.port", .int(9000))
        setString(&a, "short.bad", [0xFF])
        setString(&a, "error", Array("false".utf8))  // a false `error` attribute is left out of Zipkin tags
        setString(&a, "empty", [])
        var e = SpanAttributeList(limits: .default)
        setString(&e, "exception.message", illFormed)
        var l = SpanAttributeList(limits: .default)
        setString(&l, "link.note", illFormed)
        var r = SpanAttributeList(limits: .default)
        r.set("service.name", "svc")
        setString(&r, "host.name", illFormed)
        let span = FinishedSpan(
            name: "GET", kind: .client,
            context: SpanContext(traceID: TraceID(high: 1, low: 2), spanID: SpanID(rawValue: 3), traceFlags: .sampled),
            parentSpanID: SpanID(rawValue: 4), startTimeUnixNano: 1_764_000_000_000_000_000,
            endTimeUnixNano: 1_764_000_000_001_000_000, attributes: a,
            events: [SpanEvent(name: "exception", timeUnixNano: 1_764_000_000_000_500_000, attributes: e)],
            links: [SpanLink(context: SpanContext(traceID: TraceID(high: 5, low: 6), spanID: SpanID(rawValue: 7)), attributes: l)],
            scope: InstrumentationScope(name: "tracegw", version: "0.1.0"))
        return (span, Resource(attributes: r))
    }

    static func setBytes(_ list: inout SpanAttributeList, _ key: AttributeKey, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { list.set(key, utf8: $0) }
    }

    static func setRepairedString(_ list: inout SpanAttributeList, _ key: AttributeKey, _ bytes: [UInt8]) {
        list.set(key, .string(String(decoding: bytes, as: UTF8.self)))
    }

    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    // MARK: Ill-formed UTF-8

    func test_encoders_illFormedUTF8Values_encodeAsTheirStringDecodingRepair() {
        let (bytesSpan, bytesResource) = Self.illFormedSpan(Self.setBytes)
        let (stringSpan, stringResource) = Self.illFormedSpan(Self.setRepairedString)
        AllEncodings.assertEqual(AllEncodings(bytesSpan, resource: bytesResource), AllEncodings(stringSpan, resource: stringResource))
    }

    func test_otlpProtobuf_illFormedUTF8Value_writesValidUTF8WithReplacementCharacters() {
        let (span, resource) = Self.illFormedSpan(Self.setBytes)
        let out = OTLPProtobufEncoder(resource: resource).encode([span])
        let repaired = Array(Self.repaired.utf8)
        XCTAssertTrue(repaired.contains(0xEF) && repaired.count > Self.illFormed.count)  // U+FFFD is EF BF BD
        // AnyValue.string_value: tag 0x0A, varint length, the repaired bytes (valid UTF-8).
        XCTAssertTrue(Self.contains(out, [0x0A, UInt8(repaired.count)] + repaired))
        XCTAssertNotNil(String(validating: repaired, as: UTF8.self))
        XCTAssertFalse(Self.contains(out, Array(Self.illFormed.prefix(4))))  // "a", 0xFF, "b\"" never copied raw
        XCTAssertTrue(Self.contains(out, [0x0A, 3, 0xEF, 0xBF, 0xBD]))  // short.bad: one byte became U+FFFD
    }

    func test_jaegerThrift_illFormedUTF8Value_writesRepairedStringTag() {
        let (span, resource) = Self.illFormedSpan(Self.setBytes)
        let out = JaegerThriftEncoder(resource: resource).encode([span])
        let repaired = Array(Self.repaired.utf8)
        let length = withUnsafeBytes(of: Int32(repaired.count).bigEndian) { Array($0) }
        XCTAssertTrue(Self.contains(out, [11, 0, 3] + length + repaired))  // Tag.vStr (field 3, string)
        XCTAssertFalse(Self.contains(out, Array(Self.illFormed.prefix(4))))
    }

    func test_otlpJSON_illFormedUTF8Value_isValidJSONWithReplacementCharacters() throws {
        let (span, resource) = Self.illFormedSpan(Self.setBytes)
        let out = OTLPJSONEncoder(resource: resource).encode([span])
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out)) as? [String: Any])
        let resourceSpans = try XCTUnwrap((root["resourceSpans"] as? [[String: Any]])?.first)
        let encodedSpan = try XCTUnwrap(((resourceSpans["scopeSpans"] as? [[String: Any]])?.first?["spans"] as? [[String: Any]])?.first)
        func value(_ attributes: Any?, _ key: String) -> String? {
            let list = attributes as? [[String: Any]] ?? []
            let attribute = list.first { $0["key"] as? String == key }
            return (attribute?["value"] as? [String: Any])?["stringValue"] as? String
        }
        XCTAssertEqual(value(encodedSpan["attributes"], "bad.value"), Self.repaired)
        XCTAssertEqual(value(encodedSpan["attributes"], "short.bad"), "\u{FFFD}")
        XCTAssertEqual(value(encodedSpan["attributes"], "empty"), "")
        XCTAssertEqual(value((encodedSpan["events"] as? [[String: Any]])?.first?["attributes"], "exception.message"), Self.repaired)
        XCTAssertEqual(value((encodedSpan["links"] as? [[String: Any]])?.first?["attributes"], "link.note"), Self.repaired)
        XCTAssertEqual(value((resourceSpans["resource"] as? [String: Any])?["attributes"], "host.name"), Self.repaired)
    }

    func test_zipkinJSON_illFormedUTF8Value_isValidJSONWithReplacementCharacters() throws {
        let (span, resource) = Self.illFormedSpan(Self.setBytes)
        let out = ZipkinJSONEncoder(resource: resource).encode([span])
        let encodedSpan = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(out)) as? [[String: Any]])?.first)
        let tags = try XCTUnwrap(encodedSpan["tags"] as? [String: String])
        XCTAssertEqual(tags["bad.value"], Self.repaired)
        XCTAssertEqual(tags["short.bad"], "\u{FFFD}")
        XCTAssertNil(tags["error"])
        let remote = try XCTUnwrap(encodedSpan["remoteEndpoint"] as? [String: Any])
        XCTAssertEqual(remote["serviceName"] as? String, Self.repaired)
        XCTAssertEqual(remote["ipv4"] as? String, "10.0.0.7")
        XCTAssertEqual(remote["port"] as? Int, 9000)
        // The annotation value is JSON text itself: {"exception":{"exception.message":"…"}}.
        let annotation = try XCTUnwrap((encodedSpan["annotations"] as? [[String: Any]])?.first?["value"] as? String)
        let event = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(annotation.utf8)) as? [String: [String: String]])
        XCTAssertEqual(event["exception"]?["exception.message"], Self.repaired)
    }

    func test_consoleFormatter_illFormedUTF8Value_writesValidUTF8Line() {
        let (span, _) = Self.illFormedSpan(Self.setBytes)
        var out: [UInt8] = []
        ConsoleSpanFormatter.format(span, into: &out)
        let line = String(validating: out, as: UTF8.self)
        XCTAssertNotNil(line)
        XCTAssertEqual(out.filter { $0 == 0x0A }.count, 1)
        XCTAssertTrue(line?.contains(" short.bad=\u{FFFD} ") ?? false, line ?? "")
    }

    func test_sizeBound_illFormedUTF8Values_coverTheRepairedLength() {
        // Every 0xFF byte becomes the 3-byte U+FFFD: the worst growth a size bound has to allow for.
        let bad = [UInt8](repeating: 0xFF, count: 3_000)
        var a = SpanAttributeList(limits: .default)
        Self.setBytes(&a, "bad", bad)
        Self.setBytes(&a, "server.address", bad)
        Self.setBytes(&a, "peer.service", bad)
        let span = FinishedSpan(
            name: "n", kind: .client, context: SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(rawValue: 1)),
            parentSpanID: nil, startTimeUnixNano: 1, endTimeUnixNano: 2, attributes: a,
            events: [SpanEvent(name: "e", timeUnixNano: 1, attributes: a)],
            links: [SpanLink(context: SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(rawValue: 1)), attributes: a)])

        var protobuf = ProtobufWriter()
        OTLPProtobufEncoder.withRoom(OTLPProtobufEncoder.sizeBound(span), in: &protobuf) { r in
            let body = r.beginMessage()
            OTLPProtobufEncoder.span(span, into: &r)
            r.endMessage(body)
        }
        XCTAssertGreaterThan(protobuf.bytes.count, 3 * 3 * 3_000)
        XCTAssertLessThanOrEqual(protobuf.bytes.count, OTLPProtobufEncoder.sizeBound(span))

        var thrift: [UInt8] = []
        ThriftBinaryWriter.withRoom(JaegerThriftEncoder.sizeBound(span), in: &thrift) { w in JaegerThriftEncoder.span(span, into: &w) }
        XCTAssertLessThanOrEqual(thrift.count, JaegerThriftEncoder.sizeBound(span))

        let zipkin = ZipkinJSONEncoder(resource: Resource())
        var zipkinBytes: [UInt8] = []
        var first = false
        JSONRawWriter.withRoom(zipkin.sizeBound(span), in: &zipkinBytes) { w in
            w.comma(&first)
            zipkin.span(span, into: &w)
        }
        XCTAssertLessThanOrEqual(zipkinBytes.count, zipkin.sizeBound(span))

        var otlpJSON: [UInt8] = []
        first = false
        JSONRawWriter.withRoom(OTLPJSONEncoder.sizeBound(span), in: &otlpJSON) { w in
            w.comma(&first)
            OTLPJSONEncoder.span(span, into: &w)
        }
        XCTAssertLessThanOrEqual(otlpJSON.count, OTLPJSONEncoder.sizeBound(span))
    }

    // MARK: Run-time keys

    /// A span whose keys are literals, or the same keys built at run time with `AttributeKey(String)`.
    static func keyedSpan(runtime: Bool) -> (FinishedSpan, Resource) {
        func key(_ literal: StaticString) -> AttributeKey {
            // Rebuilt from bytes so the run-time key shares no storage with the literal.
            runtime ? AttributeKey(String(decoding: Array(literal.description.utf8), as: UTF8.self)) : AttributeKey(stringLiteral: literal)
        }
        var a = SpanAttributeList(limits: .default)
        a.set(key("a.run-time.key.longer.than.fifteen.bytes"), .string("value"))
        a.set(key("ключ \"атрибута\"\t"), .int(7))
        a.set(key("peer.service"), "billing")
        a.set(key("server.address"), "10.1.2.3")
        a.set(key("server.port"), .int(8443))
        a.set(key("error"), .string("boom"))  // left out of Jaeger and Zipkin tags under an error status
        var e = SpanAttributeList(limits: .default)
        e.set(key("event"), "overridden name")  // replaces Jaeger's `event` log field
        var r = SpanAttributeList(limits: .default)
        r.set(key("service.name"), "run-time-service")
        r.set(key("deployment.environment.name"), "prod")
        let span = FinishedSpan(
            name: "POST", kind: .producer,
            context: SpanContext(traceID: TraceID(high: 9, low: 8), spanID: SpanID(rawValue: 7), traceFlags: .sampled),
            parentSpanID: nil, startTimeUnixNano: 1_000_000, endTimeUnixNano: 3_000_000, attributes: a,
            events: [SpanEvent(name: "retry", timeUnixNano: 2_000_000, attributes: e)],
            status: .error(description: "failed"), scope: InstrumentationScope(name: "tracegw"))
        return (span, Resource(attributes: r))
    }

    func test_encoders_runTimeKeys_encodeLikeLiteralKeys() {
        let (runtimeSpan, runtimeResource) = Self.keyedSpan(runtime: true)
        let (literalSpan, literalResource) = Self.keyedSpan(runtime: false)
        AllEncodings.assertEqual(AllEncodings(runtimeSpan, resource: runtimeResource), AllEncodings(literalSpan, resource: literalResource))
    }

    func test_zipkinJSON_runTimeKeys_areEscapedAndRecognised() throws {
        let (span, resource) = Self.keyedSpan(runtime: true)
        let out = ZipkinJSONEncoder(resource: resource).encode([span])
        let encodedSpan = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(out)) as? [[String: Any]])?.first)
        let tags = try XCTUnwrap(encodedSpan["tags"] as? [String: String])
        XCTAssertEqual(tags["a.run-time.key.longer.than.fifteen.bytes"], "value")
        XCTAssertEqual(tags["ключ \"атрибута\"\t"], "7")
        XCTAssertEqual(tags["error"], "failed")  // the status description, not the attribute
        let remote = try XCTUnwrap(encodedSpan["remoteEndpoint"] as? [String: Any])
        XCTAssertEqual(remote["serviceName"] as? String, "billing")
        XCTAssertEqual(remote["ipv4"] as? String, "10.1.2.3")
        XCTAssertEqual(remote["port"] as? Int, 8443)
        XCTAssertEqual((encodedSpan["localEndpoint"] as? [String: Any])?["serviceName"] as? String, "run-time-service")
    }

    func test_otlpJSON_runTimeKeys_areEscaped() throws {
        let (span, resource) = Self.keyedSpan(runtime: true)
        let out = OTLPJSONEncoder(resource: resource).encode([span])
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out)) as? [String: Any])
        let encodedSpan = try XCTUnwrap(
            (((root["resourceSpans"] as? [[String: Any]])?.first?["scopeSpans"] as? [[String: Any]])?.first?["spans"] as? [[String: Any]])?.first)
        let keys = (encodedSpan["attributes"] as? [[String: Any]])?.compactMap { $0["key"] as? String }
        XCTAssertEqual(keys, ["a.run-time.key.longer.than.fifteen.bytes", "ключ \"атрибута\"\t", "peer.service", "server.address", "server.port", "error"])
    }

    func test_jaegerThrift_runTimeSpecialKeys_areRecognised() {
        let (span, resource) = Self.keyedSpan(runtime: true)
        let out = JaegerThriftEncoder(resource: resource).encode([span])
        func stringField(_ text: String) -> [UInt8] {
            withUnsafeBytes(of: Int32(text.utf8.count).bigEndian) { Array($0) } + Array(text.utf8)
        }
        XCTAssertTrue(Self.contains(out, [11, 0, 1] + stringField("run-time-service")))  // Process.serviceName
        XCTAssertFalse(Self.contains(out, stringField("service.name")))  // not also a process tag
        XCTAssertFalse(Self.contains(out, stringField("boom")))  // the `error` attribute is left out
        XCTAssertTrue(Self.contains(out, stringField("overridden name")))
        XCTAssertFalse(Self.contains(out, stringField("retry")))  // the `event` attribute replaced the name
    }

    // MARK: Array values

    /// A span with an array of each element type on the span, an event and a link.
    static func arraySpan() -> FinishedSpan {
        var a = SpanAttributeList(limits: .default)
        a.set("http.request.header.accept", .stringArray(["text/html", "a\"b", "ü"]))
        a.set("ints", .intArray([1, -2, Int64.max]))
        a.set("doubles", .doubleArray([0.5, 2.0]))
        a.set("bools", .boolArray([true, false]))
        a.set("after", "scalar")
        return FinishedSpan(
            name: "arrays", kind: .client,
            context: SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(rawValue: 1), traceFlags: .sampled),
            parentSpanID: nil, startTimeUnixNano: 1_000, endTimeUnixNano: 2_000, attributes: a,
            events: [SpanEvent(name: "e", timeUnixNano: 1_500, attributes: a)],
            links: [SpanLink(context: SpanContext(traceID: TraceID(high: 2, low: 2), spanID: SpanID(rawValue: 2)), attributes: a)])
    }

    func test_otlpJSON_arrayValues_encodeAsArrayValues() throws {
        let out = OTLPJSONEncoder(resource: Resource()).encode([Self.arraySpan()])
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out)) as? [String: Any])
        let encodedSpan = try XCTUnwrap(
            (((root["resourceSpans"] as? [[String: Any]])?.first?["scopeSpans"] as? [[String: Any]])?.first?["spans"] as? [[String: Any]])?.first)
        for attributes in [encodedSpan["attributes"], (encodedSpan["events"] as? [[String: Any]])?.first?["attributes"],
                           (encodedSpan["links"] as? [[String: Any]])?.first?["attributes"]] {
            let list = try XCTUnwrap(attributes as? [[String: Any]])
            func values(_ key: String) -> [[String: Any]]? {
                let value = list.first { $0["key"] as? String == key }?["value"] as? [String: Any]
                return (value?["arrayValue"] as? [String: Any])?["values"] as? [[String: Any]]
            }
            XCTAssertEqual(values("http.request.header.accept")?.compactMap { $0["stringValue"] as? String }, ["text/html", "a\"b", "ü"])
            XCTAssertEqual(values("ints")?.compactMap { $0["intValue"] as? String }, ["1", "-2", "9223372036854775807"])
            XCTAssertEqual(values("doubles")?.compactMap { ($0["doubleValue"] as? NSNumber)?.doubleValue }, [0.5, 2.0])
            XCTAssertEqual(values("bools")?.compactMap { $0["boolValue"] as? Bool }, [true, false])
            XCTAssertEqual(list.last?["key"] as? String, "after")
        }
    }

    func test_zipkinJSON_arrayValues_areJSONListTags() throws {
        let out = ZipkinJSONEncoder(resource: Resource()).encode([Self.arraySpan()])
        let encodedSpan = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(out)) as? [[String: Any]])?.first)
        let tags = try XCTUnwrap(encodedSpan["tags"] as? [String: String])
        XCTAssertEqual(tags["http.request.header.accept"], #"["text/html","a\"b","ü"]"#)
        XCTAssertEqual(tags["ints"], "[1,-2,9223372036854775807]")
        XCTAssertEqual(tags["doubles"], "[0.5,2.0]")
        XCTAssertEqual(tags["bools"], "[true,false]")
        XCTAssertEqual(tags["after"], "scalar")
        let annotation = try XCTUnwrap((encodedSpan["annotations"] as? [[String: Any]])?.first?["value"] as? String)
        XCTAssertTrue(annotation.hasPrefix(#"{"e":{"http.request.header.accept":["text/html","a\"b","ü"],"ints":[1,-2,"#), annotation)
    }

    func test_jaegerThrift_arrayValues_areJSONListStringTags() {
        let out = JaegerThriftEncoder(resource: Resource()).encode([Self.arraySpan()])
        func stringTag(_ key: String, _ value: String) -> [UInt8] {
            func field(_ text: String) -> [UInt8] { withUnsafeBytes(of: Int32(text.utf8.count).bigEndian) { Array($0) } + Array(text.utf8) }
            return [11, 0, 1] + field(key) + [8, 0, 2, 0, 0, 0, 0] + [11, 0, 3] + field(value) + [0]
        }
        XCTAssertTrue(Self.contains(out, stringTag("http.request.header.accept", #"["text/html","a\"b","ü"]"#)))
        XCTAssertTrue(Self.contains(out, stringTag("ints", "[1,-2,9223372036854775807]")))
        XCTAssertTrue(Self.contains(out, stringTag("doubles", "[0.5,2.0]")))
        XCTAssertTrue(Self.contains(out, stringTag("bools", "[true,false]")))
        XCTAssertTrue(Self.contains(out, stringTag("after", "scalar")))
    }

    func test_otlpProtobuf_arrayValues_encodeAsArrayValues() {
        let out = OTLPProtobufEncoder(resource: Resource()).encode([Self.arraySpan()])
        // AnyValue{array_value{values: [{bool_value: true}, {bool_value: false}]}}: 2A 08 0A 02 10 01 0A 02 10 00.
        let bools: [UInt8] = [0x2A, 0x08, 0x0A, 0x02, 0x10, 0x01, 0x0A, 0x02, 0x10, 0x00]
        var occurrences = 0
        for start in 0...(out.count - bools.count) where out[start..<(start + bools.count)].elementsEqual(bools) { occurrences += 1 }
        XCTAssertEqual(occurrences, 3)  // span, event and link
        // {string_value: "ü"} as an ArrayValue element: 0A 04 0A 02 C3 BC.
        XCTAssertTrue(Self.contains(out, [0x0A, 0x04, 0x0A, 0x02, 0xC3, 0xBC]))
    }

    func test_consoleFormatter_arrayValues_areBracketedLists() {
        var out: [UInt8] = []
        ConsoleSpanFormatter.format(Self.arraySpan(), into: &out)
        let line = String(decoding: out, as: UTF8.self)
        XCTAssertTrue(line.contains(#" http.request.header.accept=["text/html","a\"b","ü"] ints=[1,-2,9223372036854775807] doubles=[0.5,2.0] bools=[true,false] after=scalar"#), line)
    }
}
