import TraceCore
import XCTest

@testable import TraceEncoding

/// One span, one readable line.
final class ConsoleSpanFormatterTests: XCTestCase {
    func test_format_sampleSpan_isOneReadableLine() {
        var out: [UInt8] = []
        ConsoleSpanFormatter.format(OTLPJSONEncoderTests.sampleSpan(), into: &out)
        let line = String(decoding: out, as: UTF8.self)
        XCTAssertEqual(line.filter { $0 == "\n" }.count, 1)
        XCTAssertTrue(line.hasPrefix("2025-11-24T16:00:00.123456Z server \"GET /jobs/{id}\" trace=4bf92f3577b34da6a3ce929d0e0e4736 span=00f067aa0ba902b7 parent=1122334455667788 100.000ms status=error:\"backend timeout\""), line)
        XCTAssertTrue(line.contains(" http.request.method=GET http.response.status_code=200 flag=true ratio=0.25 tags=[\"a\",\"b\\\"c\"] counts=[1,-2]"), line)
        XCTAssertTrue(line.contains(" event=exception@76.543ms"), line)
        XCTAssertTrue(line.contains(" link=00000000000000010000000000000002-0000000000000003"), line)
    }

    func test_format_valueWithNewline_staysOnOneLine() {
        var span = OTLPJSONEncoderTests.sampleSpan()
        span.attributes.set("user_agent.original", "evil\nagent")
        var out: [UInt8] = []
        ConsoleSpanFormatter.format(span, into: &out)
        XCTAssertEqual(out.filter { $0 == 0x0A }.count, 1)
        XCTAssertTrue(String(decoding: out, as: UTF8.self).contains(#"user_agent.original="evil\nagent""#))
    }

    func test_timestamp_knownDates_formatAsRFC3339() {
        func format(_ nanos: UInt64) -> String {
            var out: [UInt8] = []
            ConsoleSpanFormatter.timestamp(nanos, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
        XCTAssertEqual(format(0), "1970-01-01T00:00:00.000000Z")
        XCTAssertEqual(format(951_782_400_000_000_000), "2000-02-29T00:00:00.000000Z")
        XCTAssertEqual(format(1_798_761_599_999_999_000), "2026-12-31T23:59:59.999999Z")
    }

    func test_duration_units_pickReadableScale() {
        func format(_ nanos: UInt64) -> String {
            var out: [UInt8] = []
            ConsoleSpanFormatter.duration(nanos, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
        XCTAssertEqual(format(850), "850ns")
        XCTAssertEqual(format(12_500), "12.5us")
        XCTAssertEqual(format(1_234_000), "1.234ms")
        XCTAssertEqual(format(2_001_000_000), "2.001s")
        // Boundaries and zero-padded fractions.
        XCTAssertEqual(format(0), "0ns")
        XCTAssertEqual(format(999), "999ns")
        XCTAssertEqual(format(1_000), "1.0us")
        XCTAssertEqual(format(1_000_001), "1.000ms")
        XCTAssertEqual(format(1_005_000), "1.005ms")
        XCTAssertEqual(format(60_000_000_000), "60.000s")
        XCTAssertEqual(format(.max), "18446744073.709s")
    }

    func test_decimalAndHex_matchStringFormatting() {
        func decimal(_ value: Int64) -> String {
            var out: [UInt8] = []
            ConsoleLineWriter.withRoom(20, in: &out) { $0.integer(value) }
            var json = JSONWriter(capacity: 0)
            json.integer(value)
            XCTAssertEqual(json.bytes, out, "JSONWriter writes integers as the raw writers do")
            return String(decoding: out, as: UTF8.self)
        }
        func padded(_ value: UInt64, minimumDigits: Int) -> String {
            var out: [UInt8] = []
            ConsoleLineWriter.withRoom(Swift.max(20, minimumDigits), in: &out) {
                $0.integer(value, minimumDigits: minimumDigits)
            }
            return String(decoding: out, as: UTF8.self)
        }
        var generator = IDGenerator(seed: 11)
        var values: [Int64] = [0, 1, -1, 9, 10, 99, 100, 12_345, -12_345, .max, .min, .max - 1, .min + 1]
        for _ in 0..<1_000 { values.append(Int64(bitPattern: generator.nextSpanID().rawValue) >> Int64.random(in: 0...63)) }
        var power: Int64 = 1
        for _ in 0...18 {  // every digit-count boundary (the writer counts digits four, two and one at a time)
            values += [power, power - 1, power + 1, -power]
            if power <= Int64.max / 10 { power *= 10 }
        }
        for value in values { XCTAssertEqual(decimal(value), String(value)) }
        XCTAssertEqual(padded(.max, minimumDigits: 1), String(UInt64.max))
        XCTAssertEqual(padded(0, minimumDigits: 6), "000000")
        XCTAssertEqual(padded(7, minimumDigits: 3), "007")
        XCTAssertEqual(padded(100, minimumDigits: 3), "100")
        XCTAssertEqual(padded(42, minimumDigits: 6), "000042")
        XCTAssertEqual(padded(1_234_567, minimumDigits: 6), "1234567")
        for _ in 0..<100 {
            let trace = generator.nextTraceID()
            let span = generator.nextSpanID()
            var out: [UInt8] = []
            ConsoleSpanFormatter.hex(trace, into: &out)
            ConsoleSpanFormatter.hex(span, into: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), trace.hexString + span.hexString)
        }
    }

    /// The quoting rule, byte by byte, as the line format defines it (the reference the word-at-a-time writer is
    /// checked against).
    static func referenceQuoted(_ bytes: [UInt8], always: Bool) -> [UInt8] {
        let special: Set<UInt8> = [0x22, 0x5C, 0x3D, 0x7F]
        guard always || bytes.isEmpty || bytes.contains(where: { $0 <= 0x20 || special.contains($0) }) else { return bytes }
        var out: [UInt8] = [0x22]
        for b in bytes {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += Array(#"\n"#.utf8)
            case 0x0D: out += Array(#"\r"#.utf8)
            case 0x09: out += Array(#"\t"#.utf8)
            case 0..<0x20, 0x7F: out += Array(String(format: "\\x%02x", b).utf8)
            default: out.append(b)
            }
        }
        return out + [0x22]
    }

    func test_quoted_everySpecialByteAtEveryPosition_matchesTheByteRule() {
        let specials: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x22, 0x3D, 0x5C, 0x7F, 0x21, 0x7E, 0x80, 0xC3]
        for bytes in Self.textsWithOneSpecialByte(specials) where String(validating: bytes, as: UTF8.self) != nil {
            for always in [false, true] {
                var out: [UInt8] = []
                ConsoleLineWriter.withRoom(ConsoleLineWriter.quotedBound(bytes.count), in: &out) { w in
                    bytes.withUnsafeBytes { w.quoted(wellFormedUTF8: $0, always: always) }
                }
                XCTAssertEqual(out, Self.referenceQuoted(bytes, always: always), "\(bytes) always=\(always)")
            }
        }
    }

    /// Plain letters of every length 0–40, and each of them with one of `specials` at each position.
    static func textsWithOneSpecialByte(_ specials: [UInt8]) -> [[UInt8]] {
        var cases: [[UInt8]] = []
        for length in 0...40 {
            let plain = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            cases.append(plain)
            for position in 0..<length {
                for special in specials {
                    var bytes = plain
                    bytes[position] = special
                    cases.append(bytes)
                }
            }
        }
        return cases
    }

    func test_token_everySpecialByteAtEveryPosition_writesWhatQuotedWrites() {
        // `token(utf8:)` copies clean ASCII a word at a time and sends anything else down the general path; both must
        // give the bytes of `quoted(utf8:always: false)` (which also repairs ill-formed UTF-8), at every length the
        // word copy splits differently (0, 1, 2–3, 4–7, 8 and more).
        let specials: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x22, 0x3D, 0x5C, 0x7F, 0x21, 0x7E, 0x80, 0xC3, 0xFF]
        for bytes in Self.textsWithOneSpecialByte(specials) {
            var token: [UInt8] = []
            var quoted: [UInt8] = []
            let bound = ConsoleLineWriter.quotedBound(bytes.count)
            bytes.withUnsafeBytes { raw in
                ConsoleLineWriter.withRoom(bound, in: &token) { $0.token(utf8: raw) }
                ConsoleLineWriter.withRoom(bound, in: &quoted) { $0.quoted(utf8: raw, always: false) }
            }
            XCTAssertEqual(token, quoted, "\(bytes)")
        }
    }

    func test_shortBytes_everyLength_copiesExactlyTheBytes() {
        let source = (0..<80).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for length in 0...80 {
            var out: [UInt8] = []
            ConsoleLineWriter.withRoom(length + 2, in: &out) { w in
                w.byte(UInt8(ascii: "<"))
                source.withUnsafeBytes { w.shortBytes(UnsafeRawBufferPointer(rebasing: $0[..<length])) }
                w.byte(UInt8(ascii: ">"))
            }
            XCTAssertEqual(out, [UInt8(ascii: "<")] + source[..<length] + [UInt8(ascii: ">")], "length \(length)")
        }
    }

    func test_formatFromIndex_upToBytes_stopsAfterTheLineThatReachesTheLimit() {
        let spans = (0..<20).map { _ in OTLPJSONEncoderTests.sampleSpan() }
        var single: [UInt8] = []
        ConsoleSpanFormatter.format(spans[0], into: &single)
        let whole = RawOutputBuffer()
        ConsoleSpanFormatter.format(spans, into: whole)
        for limit in [0, 1, single.count, single.count + 1, 3 * single.count, .max] {
            var joined: [UInt8] = []
            var next = 0
            while next < spans.count {
                let chunk = RawOutputBuffer(capacity: 64)
                let after = ConsoleSpanFormatter.format(spans, from: next, into: chunk, upToBytes: limit)
                XCTAssertGreaterThan(after, next, "at least one line per call")
                let lines = after - next
                let expectedLines = limit == .max ? spans.count : Swift.min(spans.count - next, Swift.max(1, (limit + single.count - 1) / single.count))
                XCTAssertEqual(lines, expectedLines, "limit \(limit) from \(next)")
                chunk.withUnsafeBytes { joined += $0 }
                next = after
            }
            whole.withUnsafeBytes { XCTAssertEqual(joined, Array($0), "limit \(limit)") }
            XCTAssertEqual(ConsoleSpanFormatter.format(spans, from: spans.count, into: RawOutputBuffer(), upToBytes: limit), spans.count)
        }
    }

    func test_sizeBound_worstCaseValuesOfEveryKind_coverTheLine() {
        // The bound reads only sizes. Each value below makes as much text per arena byte as its kind can, and each
        // is also checked alone and long, so the line's fixed allowance cannot hide a factor too small (a bound of
        // 5 per arena byte fails on the bools).
        let controls = String(repeating: "\u{01}", count: 3_000)  // every byte escaped as \xNN
        let values: [(AttributeKey, (inout SpanAttributeList) -> Void)] = [
            ("controls", { $0.set("controls", .string(controls)) }),
            ("bad", { InPlaceAttributeEncodingTests.setBytes(&$0, "bad", [UInt8](repeating: 0xFF, count: 3_000)) }),
            ("empty", { $0.set("empty", .string("")) }),
            ("min", { $0.set("min", .int(.min)) }),
            ("double", { $0.set("double", .double(-2.2250738585072014e-308)) }),
            ("doubles", { $0.set("doubles", .doubleArray([Double](repeating: -2.2250738585072014e-308, count: 1_000))) }),
            ("ints", { $0.set("ints", .intArray([Int64](repeating: .min, count: 1_000))) }),
            ("bools", { $0.set("bools", .boolArray([Bool](repeating: false, count: 1_000))) }),
            ("empties", { $0.set("empties", .stringArray([String](repeating: "", count: 1_000))) }),
            ("escaped", { $0.set("escaped", .stringArray([String](repeating: "\u{01}\"", count: 1_000))) }),
            ("run-time key", { $0.set(String(repeating: "k", count: 1_000), .bool(false)) }),
            ("replaced", {
                $0.set("replaced", .string(String(repeating: "x", count: 1_000)))
                $0.set("replaced", .string("y"))  // the first value's bytes stay in the arena
            }),
        ]
        var all = SpanAttributeList(limits: AttributeLimits(countLimit: 128))
        var spans: [FinishedSpan] = [OTLPJSONEncoderTests.sampleSpan()]
        for (_, set) in values {
            var one = SpanAttributeList(limits: AttributeLimits(countLimit: 128))
            set(&one)
            set(&all)
            spans.append(FinishedSpan(
                name: "n", kind: .internal, context: SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(rawValue: 1)),
                parentSpanID: nil, startTimeUnixNano: 1, endTimeUnixNano: 2, attributes: one))
        }
        spans.append(FinishedSpan(
            name: controls, kind: .server, context: SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(rawValue: 1)),
            parentSpanID: SpanID(rawValue: .max), startTimeUnixNano: 1, endTimeUnixNano: .max, attributes: all,
            events: [SpanEvent(name: controls, timeUnixNano: .max)],
            links: [SpanLink(context: SpanContext(traceID: TraceID(high: .max, low: .max), spanID: SpanID(rawValue: .max)))],
            status: .error(description: controls)))
        for (index, span) in spans.enumerated() {
            var out: [UInt8] = []
            ConsoleSpanFormatter.format(span, into: &out)  // traps if the line outgrows the bound
            XCTAssertLessThanOrEqual(out.count, ConsoleSpanFormatter.sizeBound(span), "span \(index)")
            XCTAssertEqual(out.filter { $0 == 0x0A }.count, 1)
        }
    }

    func test_formatBatch_intoRawOutputBuffer_equalsLineByLineAndGrows() {
        var spans: [FinishedSpan] = []
        for i in 0..<300 {
            var span = OTLPJSONEncoderTests.sampleSpan()
            span.attributes.set("url.path", .string("/jobs/" + String(repeating: "x", count: i) + " \"q\"\n"))
            spans.append(span)
        }
        var expected: [UInt8] = []
        for span in spans { ConsoleSpanFormatter.format(span, into: &expected) }
        let buffer = RawOutputBuffer(capacity: 128)  // grows many times on the way
        ConsoleSpanFormatter.format(spans, into: buffer)
        XCTAssertEqual(buffer.withUnsafeBytes { Array($0) }, expected)
        XCTAssertEqual(buffer.count, expected.count)
        buffer.removeAll()
        XCTAssertEqual(buffer.count, 0)
        ConsoleSpanFormatter.format(Array(spans.prefix(2)), into: buffer)
        XCTAssertEqual(buffer.withUnsafeBytes { Array($0) }, Array(expected.prefix(buffer.count)))
    }

    func test_formatBatch_spansAcrossSecondsAndDays_timestampsEqualLineByLine() {
        let base: UInt64 = 1_798_761_599_000_000_000  // 2026-12-31T23:59:59Z
        let starts: [UInt64] = [
            base, base + 999_999_000, base + 1_000_000_000, base + 1_500_000_000,  // same second, next second (a new day)
            base + 86_400_000_000_000, base, base - 1_000, 0, base,  // a day later, back, the second before, the epoch
        ]
        let spans = starts.map { start -> FinishedSpan in
            var span = OTLPJSONEncoderTests.sampleSpan()
            span.startTimeUnixNano = start
            span.endTimeUnixNano = start + 1_000
            return span
        }
        var expected: [UInt8] = []
        for span in spans { ConsoleSpanFormatter.format(span, into: &expected) }
        let buffer = RawOutputBuffer(capacity: 64)
        ConsoleSpanFormatter.format(spans, into: buffer)
        let lines = buffer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }.split(separator: "\n")
        XCTAssertEqual(buffer.withUnsafeBytes { Array($0) }, expected)
        XCTAssertEqual(lines.map { String($0.prefix(27)) }, [
            "2026-12-31T23:59:59.000000Z", "2026-12-31T23:59:59.999999Z", "2027-01-01T00:00:00.000000Z",
            "2027-01-01T00:00:00.500000Z", "2027-01-01T23:59:59.000000Z", "2026-12-31T23:59:59.000000Z",
            "2026-12-31T23:59:58.999999Z", "1970-01-01T00:00:00.000000Z", "2026-12-31T23:59:59.000000Z",
        ])
    }

    func test_rawOutputBuffer_largeBatch_releasesStorageOnRemoveAll() {
        let buffer = RawOutputBuffer(capacity: 64)
        var span = OTLPJSONEncoderTests.sampleSpan()
        span.attributes.set("blob", .string(String(repeating: "y", count: 100_000)))
        ConsoleSpanFormatter.format(Array(repeating: span, count: 50), into: buffer)
        XCTAssertGreaterThan(buffer.count, RawOutputBuffer.retainedCapacityLimit)
        buffer.removeAll()
        ConsoleSpanFormatter.format([OTLPJSONEncoderTests.sampleSpan()], into: buffer)
        var expected: [UInt8] = []
        ConsoleSpanFormatter.format(OTLPJSONEncoderTests.sampleSpan(), into: &expected)
        XCTAssertEqual(buffer.withUnsafeBytes { Array($0) }, expected)
    }
}
