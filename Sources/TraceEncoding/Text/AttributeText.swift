import TraceCore

/// Renders attribute values as text for formats without typed arrays (Jaeger tags, Zipkin tags and annotations).
///
/// OpenTelemetry "Transformation to non-OTLP Formats" (§Attributes): array values are serialized as a JSON list;
/// primitives use their plain text (`true`/`false`, decimal integers, shortest round-trip doubles). Doubles use
/// Swift's shortest representation (`0.25`, `1.0`, `1e-05`), NaN and infinities are written `NaN`, `Infinity`,
/// `-Infinity` as most JSON libraries (and Python's `json`) do.
enum AttributeText {
    /// Appends `value` as text: strings raw (unescaped), primitives plain, arrays as a JSON list.
    static func plain(_ value: AttributeValue, into w: inout JSONWriter) {
        switch value {
        case .string(let s): w.bytes.append(contentsOf: s.utf8)
        case .bool(let b): w.bool(b)
        case .int(let i): w.integer(i)
        case .double(let d): double(d, into: &w)
        case .stringArray, .boolArray, .intArray, .doubleArray: json(value, into: &w)
        }
    }

    /// Appends `value` as a JSON value: strings quoted and escaped, arrays as JSON lists.
    static func json(_ value: AttributeValue, into w: inout JSONWriter) {
        switch value {
        case .string(let s): w.string(s)
        case .bool(let b): w.bool(b)
        case .int(let i): w.integer(i)
        case .double(let d): double(d, into: &w)
        case .stringArray(let items):
            w.byte(UInt8(ascii: "["))
            var first = true
            for item in items {
                w.comma(&first)
                w.string(item)
            }
            w.byte(UInt8(ascii: "]"))
        case .boolArray(let items):
            w.byte(UInt8(ascii: "["))
            var first = true
            for item in items {
                w.comma(&first)
                w.bool(item)
            }
            w.byte(UInt8(ascii: "]"))
        case .intArray(let items):
            w.byte(UInt8(ascii: "["))
            var first = true
            for item in items {
                w.comma(&first)
                w.integer(item)
            }
            w.byte(UInt8(ascii: "]"))
        case .doubleArray(let items):
            w.byte(UInt8(ascii: "["))
            var first = true
            for item in items {
                w.comma(&first)
                double(item, into: &w)
            }
            w.byte(UInt8(ascii: "]"))
        }
    }

    /// Appends a value read in place (`SpanAttributeList.forEachView`) as `json(_:into:)` does; string bytes that
    /// are ill-formed UTF-8 are repaired as `String(decoding:as:)` repairs them.
    static func json(_ value: AttributeValueView, into w: inout JSONWriter) {
        switch value {
        case .string(let utf8): w.string(utf8: utf8)
        case .bool(let b): w.bool(b)
        case .int(let i): w.integer(i)
        case .double(let d): double(d, into: &w)
        case .array(let array): json(array, into: &w)
        }
    }

    /// Appends a double in its shortest round-trip form (`1.0`, `0.25`, `1e-05`), or `NaN`/`Infinity`/`-Infinity`.
    static func double(_ d: Double, into w: inout JSONWriter) {
        if d.isNaN {
            w.raw("NaN")
        } else if d.isInfinite {
            if d < 0 { w.raw("-Infinity") } else { w.raw("Infinity") }
        } else {
            w.bytes.append(contentsOf: d.description.utf8)
        }
    }
}
