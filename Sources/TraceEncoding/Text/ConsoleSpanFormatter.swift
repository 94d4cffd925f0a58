import TraceCore

/// Formats a span as one readable line for a person at a terminal.
///
/// Example:
/// `2026-11-25T15:30:00.123456Z server "GET /jobs/{id}" trace=4bf9…4736 span=00f0…02b7 parent=- 1.234ms status=unset http.request.method=GET …`
/// Strings are quoted only when they contain spaces, quotes or control characters, which are escaped, so one span
/// is always exactly one line.
public enum ConsoleSpanFormatter {
    /// Appends the line for `span`, terminated by `\n`, to `out`.
    public static func format(_ span: FinishedSpan, into out: inout [UInt8]) {
        timestamp(span.startTimeUnixNano, into: &out)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: kindName(span.kind).utf8)
        out.append(UInt8(ascii: " "))
        quoted(span.name, into: &out, always: true)
        let context = span.context
        out.append(contentsOf: " trace=".utf8)
        hex(context.traceID, into: &out)
        out.append(contentsOf: " span=".utf8)
        hex(context.spanID, into: &out)
        out.append(contentsOf: " parent=".utf8)
        if let parent = span.parentSpanID, parent.isValid {
            hex(parent, into: &out)
        } else {
            out.append(UInt8(ascii: "-"))
        }
        out.append(UInt8(ascii: " "))
        duration(span.endTimeUnixNano &- span.startTimeUnixNano, into: &out)
        out.append(contentsOf: " status=".utf8)
        switch span.status {
        case .unset: out.append(contentsOf: "unset".utf8)
        case .ok: out.append(contentsOf: "ok".utf8)
        case .error(let description):
            out.append(contentsOf: "error".utf8)
            if !description.isEmpty {
                out.append(UInt8(ascii: ":"))
                quoted(description, into: &out, always: false)
            }
        }
        let attributes = span.attributes
        attributes.forEachView { key, value in
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: key)
            out.append(UInt8(ascii: "="))
            self.value(value, into: &out)
        }
        if attributes.droppedCount > 0 {
            out.append(contentsOf: " dropped_attributes=".utf8)
            out.appendDecimal(UInt64(attributes.droppedCount))
        }
        for event in span.events {
            out.append(contentsOf: " event=".utf8)
            quoted(event.name, into: &out, always: false)
            out.append(UInt8(ascii: "@"))
            duration(event.timeUnixNano &- span.startTimeUnixNano, into: &out)
        }
        for link in span.links {
            out.append(contentsOf: " link=".utf8)
            hex(link.context.traceID, into: &out)
            out.append(UInt8(ascii: "-"))
            hex(link.context.spanID, into: &out)
        }
        out.append(UInt8(ascii: "\n"))
    }

    static func kindName(_ kind: SpanKind) -> String {
        switch kind {
        case .internal: return "internal"
        case .server: return "server"
        case .client: return "client"
        case .producer: return "producer"
        case .consumer: return "consumer"
        }
    }

    /// Writes a value read in place; string bytes that are ill-formed UTF-8 are repaired first, as
    /// `String(decoding:as:)` would, so the line is always valid UTF-8.
    static func value(_ value: AttributeValueView, into out: inout [UInt8]) {
        switch value {
        case .string(let utf8): UTF8Repair.withWellFormed(utf8) { quoted(utf8: $0, into: &out, always: false) }
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.appendDecimal(i)
        case .double(let d): out.append(contentsOf: d.description.utf8)
        case .array(let array): self.value(array, into: &out)
        }
    }

    static func value(_ value: AttributeValue, into out: inout [UInt8]) {
        switch value {
        case .string(let s): quoted(s, into: &out, always: false)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.appendDecimal(i)
        case .double(let d): out.append(contentsOf: d.description.utf8)
        case .stringArray(let items): list(items.map { AttributeValue.string($0) }, into: &out)
        case .boolArray(let items): list(items.map { AttributeValue.bool($0) }, into: &out)
        case .intArray(let items): list(items.map { AttributeValue.int($0) }, into: &out)
        case .doubleArray(let items): list(items.map { AttributeValue.double($0) }, into: &out)
        }
    }

    static func list(_ items: [AttributeValue], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            if case .string(let s) = item { quoted(s, into: &out, always: true) } else { value(item, into: &out) }
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Writes `s`, in double quotes with escapes when needed (or always), so the line stays one line.
    static func quoted(_ s: String, into out: inout [UInt8], always: Bool) {
        quoted(utf8: s.utf8, into: &out, always: always)
    }

    /// Writes the well-formed UTF-8 `utf8` as `quoted(_:into:always:)` writes a string.
    static func quoted(utf8: some Collection<UInt8>, into out: inout [UInt8], always: Bool) {
        let needsQuotes = always || utf8.isEmpty || utf8.contains { $0 <= 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == UInt8(ascii: "=") }
        guard needsQuotes else {
            out.append(contentsOf: utf8)
            return
        }
        out.append(UInt8(ascii: "\""))
        for b in utf8 {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                out.append(contentsOf: [0x5C, UInt8(ascii: "x")])
                out.append(JSONWriter.hexDigit(b >> 4))
                out.append(JSONWriter.hexDigit(b & 0xF))
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Writes a duration with a unit a person reads at a glance: `850ns`, `12.5us`, `1.234ms`, `2.001s`.
    static func duration(_ nanos: UInt64, into out: inout [UInt8]) {
        func fixed(_ value: UInt64, divisor: UInt64, decimals: Int, unit: StaticString) {
            out.appendDecimal(value / divisor)
            out.append(UInt8(ascii: "."))
            out.appendDecimal((value % divisor) * pow10(decimals) / divisor, minimumDigits: decimals)
            out.append(contentsOf: UnsafeBufferPointer(start: unit.utf8Start, count: unit.utf8CodeUnitCount))
        }
        switch nanos {
        case ..<1_000:
            out.appendDecimal(nanos)
            out.append(contentsOf: "ns".utf8)
        case ..<1_000_000: fixed(nanos, divisor: 1_000, decimals: 1, unit: "us")
        case ..<1_000_000_000: fixed(nanos, divisor: 1_000_000, decimals: 3, unit: "ms")
        default: fixed(nanos, divisor: 1_000_000_000, decimals: 3, unit: "s")
        }
    }

    private static func pow10(_ n: Int) -> UInt64 {
        var r: UInt64 = 1
        for _ in 0..<n { r *= 10 }
        return r
    }

    /// Writes a UTC RFC 3339 timestamp with microseconds, e.g. `2026-11-25T15:30:00.123456Z`.
    static func timestamp(_ unixNanos: UInt64, into out: inout [UInt8]) {
        let seconds = Int64(unixNanos / 1_000_000_000)
        let micros = Int((unixNanos % 1_000_000_000) / 1_000)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        func two(_ v: Int) { out.append(UInt8(ascii: "0") &+ UInt8(v / 10)); out.append(UInt8(ascii: "0") &+ UInt8(v % 10)) }
        out.appendDecimal(Int64(year))
        out.append(UInt8(ascii: "-")); two(month)
        out.append(UInt8(ascii: "-")); two(day)
        out.append(UInt8(ascii: "T")); two(secondOfDay / 3600)
        out.append(UInt8(ascii: ":")); two(secondOfDay / 60 % 60)
        out.append(UInt8(ascii: ":")); two(secondOfDay % 60)
        out.append(UInt8(ascii: "."))
        out.appendDecimal(UInt64(micros), minimumDigits: 6)
        out.append(UInt8(ascii: "Z"))
    }

    /// Appends the 32 lowercase hex digits of `id` (no `String` built).
    static func hex(_ id: TraceID, into out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { buffer in
            id.writeHex(into: buffer)
            out.append(contentsOf: UnsafeRawBufferPointer(buffer))
        }
    }

    /// Appends the 16 lowercase hex digits of `id` (no `String` built).
    static func hex(_ id: SpanID, into out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: 16, alignment: 8) { buffer in
            id.writeHex(into: buffer)
            out.append(contentsOf: UnsafeRawBufferPointer(buffer))
        }
    }

    /// Converts days since 1970-01-01 to a proleptic Gregorian (year, month, day) (H. Hinnant's civil_from_days).
    static func civilDate(daysSinceEpoch: Int64) -> (Int, Int, Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }
}
