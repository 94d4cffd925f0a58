import TraceCore

/// Formats a span as one readable line for a person at a terminal.
///
/// Example:
/// `2026-11-25T15:30:00.123456Z server "GET /jobs/{id}" trace=4bf9…4736 span=00f0…02b7 parent=- 1.234ms status=unset http.request.method=GET …`
/// Strings are quoted only when they contain spaces, quotes, `=` or control characters, which are escaped, so one
/// span is always exactly one line. Each line is written through a raw pointer into room reserved once per span by an
/// upper bound of its length (`sizeBound`), as the other encoders do.
public enum ConsoleSpanFormatter {
    /// Appends the line for `span`, terminated by `\n`, to `out`.
    public static func format(_ span: FinishedSpan, into out: inout [UInt8]) {
        ConsoleLineWriter.withRoom(sizeBound(span), in: &out) { w in line(span, into: &w) }
    }

    /// Appends the lines of `spans`, each terminated by `\n`, to `out` (no zero-filling, no retain of each span).
    public static func format(_ spans: [FinishedSpan], into out: RawOutputBuffer) {
        _ = format(spans, from: 0, into: out, upToBytes: .max)
    }

    /// Appends the lines of `spans` from index `start` on until `out` holds at least `byteLimit` bytes (always at
    /// least one line), and returns the index of the first span not formatted (`spans.count` when all were).
    ///
    /// The stdout exporter's path: it writes a batch in chunks of a few kilobytes through one small buffer, which
    /// stays in the core's cache, instead of filling a buffer the size of the whole batch's text.
    public static func format(
        _ spans: [FinishedSpan], from start: Int, into out: RawOutputBuffer, upToBytes byteLimit: Int
    ) -> Int {
        // Indexing the buffer reads each span in place: a `for-in` over the array would retain and release every
        // span's record.
        var second = ConsoleSecondText()
        return spans.withUnsafeBufferPointer { spans in
            var index = Swift.max(start, 0)
            while index < spans.count {
                spans.prefetchForEncoding(after: index)
                out.withRoom(sizeBound(spans[index]), as: ConsoleLineWriter.self) { w in
                    line(spans[index], into: &w, second: &second)
                }
                index &+= 1
                if out.count >= byteLimit { break }
            }
            return index
        }
    }

    /// An upper bound of the bytes of `span`'s line, worked out from sizes alone (no attribute value is read).
    ///
    /// Per attribute: ` `, the key, `=`, and either a scalar (at most 32 bytes: 20 digits, a double's shortest form,
    /// `false`) or a value from the arena. Arena bytes are counted 6 times over, which covers every value's text:
    /// a string takes 2 quotes plus at most 4 bytes per byte (an escape, or U+FFFD for an ill-formed byte); a string
    /// array element `,"…"` at most 3 + 4 per byte, with 4 arena bytes of length besides its own; an integer or
    /// double element at most 33 bytes from 8 arena bytes; a bool element `false,` 6 from 1. Hence 36 per
    /// attribute (4 of punctuation and quotes, 32 of scalar), the key bytes, and 6 per arena byte.
    static func sizeBound(_ span: FinishedSpan) -> Int {
        // Timestamp, kind, labels, ids, duration, status word, dropped count and newline: under 256.
        var n = 256 &+ ConsoleLineWriter.quotedBound(span.name.utf8.count)
        if case .error(let description) = span.status { n &+= ConsoleLineWriter.quotedBound(description.utf8.count) }
        let attributes = span.attributeSizeSummary
        n &+= 36 &* attributes.count &+ attributes.keyBytes &+ 6 &* attributes.arenaBytes
        guard span.hasEventsOrLinks else { return n }
        for event in span.events {
            n &+= 16 &+ ConsoleLineWriter.quotedBound(event.name.utf8.count) &+ ConsoleLineWriter.durationBound
        }
        n &+= 64 &* span.links.count
        return n
    }

    /// Writes the line for `span` into room of at least `sizeBound(span)` bytes.
    static func line(_ span: FinishedSpan, into w: inout ConsoleLineWriter) {
        var second = ConsoleSecondText()
        line(span, into: &w, second: &second)
    }

    /// Writes the line for `span` as above, reusing the date and time text of the previous line's second.
    static func line(_ span: FinishedSpan, into w: inout ConsoleLineWriter, second: inout ConsoleSecondText) {
        w.timestamp(span.startTimeUnixNano, reusing: &second)
        w.byte(UInt8(ascii: " "))
        w.raw(kindName(span.kind))
        w.byte(UInt8(ascii: " "))
        w.quoted(span.name, always: true)
        let context = span.context
        w.raw(" trace=")
        w.hex(context.traceID)
        w.raw(" span=")
        w.hex(context.spanID)
        w.raw(" parent=")
        if let parent = span.parentSpanID, parent.isValid {
            w.hex(parent)
        } else {
            w.byte(UInt8(ascii: "-"))
        }
        w.byte(UInt8(ascii: " "))
        w.duration(span.endTimeUnixNano &- span.startTimeUnixNano)
        w.raw(" status=")
        switch span.status {
        case .unset: w.raw("unset")
        case .ok: w.raw("ok")
        case .error(let description):
            w.raw("error")
            if !description.isEmpty {
                w.byte(UInt8(ascii: ":"))
                w.quoted(description, always: false)
            }
        }
        span.forEachAttributeView { key, value in
            w.byte(UInt8(ascii: " "))
            w.shortBytes(key)
            w.byte(UInt8(ascii: "="))
            self.value(value, into: &w)
        }
        let droppedAttributes = span.droppedAttributesCount
        if droppedAttributes > 0 {
            w.raw(" dropped_attributes=")
            w.integer(UInt64(droppedAttributes))
        }
        if span.hasEventsOrLinks { eventsAndLinks(span, into: &w) }
        w.byte(UInt8(ascii: "\n"))
    }

    /// Writes the ` event=` and ` link=` tokens of `span`.
    private static func eventsAndLinks(_ span: FinishedSpan, into w: inout ConsoleLineWriter) {
        for event in span.events {
            w.raw(" event=")
            w.quoted(event.name, always: false)
            w.byte(UInt8(ascii: "@"))
            w.duration(event.timeUnixNano &- span.startTimeUnixNano)
        }
        for link in span.links {
            w.raw(" link=")
            w.hex(link.context.traceID)
            w.byte(UInt8(ascii: "-"))
            w.hex(link.context.spanID)
        }
    }

    static func kindName(_ kind: SpanKind) -> StaticString {
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
    @inline(__always)
    static func value(_ value: AttributeValueView, into w: inout ConsoleLineWriter) {
        switch value {
        case .string(let utf8): w.token(utf8: utf8)
        case .bool(let b): if b { w.raw("true") } else { w.raw("false") }
        case .int(let i): w.integer(i)
        case .double(let d): double(d, into: &w)
        case .array(let array): self.value(array, into: &w)
        }
    }

    /// Writes a materialised value: scalars as above, arrays as `[a,b]` with every string quoted.
    static func value(_ value: AttributeValue, into w: inout ConsoleLineWriter) {
        switch value {
        case .string(let s): w.quoted(s, always: false)
        case .bool(let b): if b { w.raw("true") } else { w.raw("false") }
        case .int(let i): w.integer(i)
        case .double(let d): double(d, into: &w)
        case .stringArray(let items): list(items) { w.quoted($0, always: true) }
        case .boolArray(let items): list(items) { if $0 { w.raw("true") } else { w.raw("false") } }
        case .intArray(let items): list(items) { w.integer($0) }
        case .doubleArray(let items): list(items) { double($0, into: &w) }
        }
        func list<Item>(_ items: [Item], _ item: (Item) -> Void) {
            w.byte(UInt8(ascii: "["))
            for (i, element) in items.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                item(element)
            }
            w.byte(UInt8(ascii: "]"))
        }
    }

    /// Writes Swift's shortest round-trip form of `d` (at most 32 bytes).
    static func double(_ d: Double, into w: inout ConsoleLineWriter) {
        w.shortestDouble(d)
    }

    /// Appends a duration as `ConsoleLineWriter.duration` writes it: `850ns`, `12.5us`, `1.234ms`, `2.001s`.
    static func duration(_ nanos: UInt64, into out: inout [UInt8]) {
        ConsoleLineWriter.withRoom(ConsoleLineWriter.durationBound, in: &out) { $0.duration(nanos) }
    }

    /// Appends a UTC RFC 3339 timestamp with microseconds, e.g. `2026-11-25T15:30:00.123456Z`.
    static func timestamp(_ unixNanos: UInt64, into out: inout [UInt8]) {
        ConsoleLineWriter.withRoom(ConsoleLineWriter.timestampBound, in: &out) { $0.timestamp(unixNanos) }
    }

    /// Appends the 32 lowercase hex digits of `id` (no `String` built).
    static func hex(_ id: TraceID, into out: inout [UInt8]) {
        ConsoleLineWriter.withRoom(32, in: &out) { $0.hex(id) }
    }

    /// Appends the 16 lowercase hex digits of `id` (no `String` built).
    static func hex(_ id: SpanID, into out: inout [UInt8]) {
        ConsoleLineWriter.withRoom(16, in: &out) { $0.hex(id) }
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
