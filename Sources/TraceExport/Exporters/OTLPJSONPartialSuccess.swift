import TraceEncoding

/// Reads `partialSuccess` from an OTLP/JSON `ExportTraceServiceResponse` (`{"partialSuccess":{"rejectedSpans":"3",
/// "errorMessage":"..."}}`), enough to log it; the OTLP spec says a partial success must not be retried.
enum OTLPJSONPartialSuccess {
    /// The rejected count and message, or nil when the body reports none.
    static func parse(_ body: [UInt8]) -> OTLPTracePartialSuccess? {
        guard find(Array("\"partialSuccess\"".utf8), in: body, from: 0) != nil else { return nil }
        let rejected = number(after: "\"rejectedSpans\"", in: body) ?? 0
        let message = string(after: "\"errorMessage\"", in: body) ?? ""
        guard rejected != 0 || !message.isEmpty else { return nil }
        return OTLPTracePartialSuccess(rejectedSpans: rejected, errorMessage: message)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = start
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0], Array(haystack[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }

    private static func valueStart(after key: String, in body: [UInt8]) -> Int? {
        let k = Array(key.utf8)
        guard var i = find(k, in: body, from: 0) else { return nil }
        i += k.count
        while i < body.count, body[i] == 32 || body[i] == 9 || body[i] == 10 || body[i] == 13 { i += 1 }
        guard i < body.count, body[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        while i < body.count, body[i] == 32 || body[i] == 9 || body[i] == 10 || body[i] == 13 { i += 1 }
        return i < body.count ? i : nil
    }

    private static func number(after key: String, in body: [UInt8]) -> Int64? {
        guard var i = valueStart(after: key, in: body) else { return nil }
        if body[i] == UInt8(ascii: "\"") { i += 1 }  // int64 is a string in OTLP/JSON; a bare number is accepted too
        var digits: [UInt8] = []
        while i < body.count, (body[i] >= 48 && body[i] <= 57) || body[i] == UInt8(ascii: "-") {
            digits.append(body[i])
            i += 1
        }
        return Int64(String(decoding: digits, as: UTF8.self))
    }

    private static func string(after key: String, in body: [UInt8]) -> String? {
        guard var i = valueStart(after: key, in: body), body[i] == UInt8(ascii: "\"") else { return nil }
        i += 1
        var out: [UInt8] = []
        var escaped = false
        while i < body.count {
            let c = body[i]
            i += 1
            if escaped {
                out.append(c)
                escaped = false
            } else if c == UInt8(ascii: "\\") {
                escaped = true
            } else if c == UInt8(ascii: "\"") {
                break
            } else {
                out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
