/// Validates one field line held in parser storage and records it, updating the framing facts.
///
/// Grammar: `field-name ":" OWS field-value OWS` (RFC 9112 §5). No obs-fold (§5.2), no whitespace before the colon
/// (§5.1), values limited to HTAB, SP, VCHAR and obs-text (RFC 9110 §5.5).
enum FieldLineParser {
    /// Parses `fields.bytes[start..<end]` (CRLF excluded) into `fields`; updates `facts` when `collecting`.
    static func parse(
        _ fields: inout HTTP1Fields, start: Int, end: Int, facts: inout FramingFacts, collecting: Bool
    ) throws(HTTP1ParseError) {
        var nameEnd = 0
        var valueStart = 0
        var valueEnd = 0
        let failure: HTTP1ParseError.Kind? = fields.bytes.withUnsafeBufferPointer { p in
            if ASCII.isWhitespace(p[start]) { return .obsoleteLineFolding }
            var i = start
            while i < end && ASCII.isTokenChar(p[i]) { i += 1 }
            if i == end { return .invalidFieldName }
            if p[i] != ASCII.colon { return ASCII.isWhitespace(p[i]) ? .whitespaceBeforeColon : .invalidFieldName }
            if i == start { return .invalidFieldName }
            nameEnd = i
            i += 1
            while i < end && ASCII.isWhitespace(p[i]) { i += 1 }
            valueStart = i
            var last = end
            while last > i && ASCII.isWhitespace(p[last - 1]) { last -= 1 }
            valueEnd = last
            return ASCII.isValidFieldValue(p, i, last) ? nil : .invalidFieldValue
        }
        if let failure { throw HTTP1ParseError(failure) }
        let index = fields.entries.count
        fields.record(nameStart: start, nameLength: nameEnd - start, valueStart: valueStart, valueLength: valueEnd - valueStart)
        guard collecting else { return }
        let kind: HTTP1ParseError.Kind? = fields.bytes.withUnsafeBufferPointer { p in
            collect(p, nameStart: start, nameLength: nameEnd - start, valueStart: valueStart, valueEnd: valueEnd,
                    index: index, into: &facts)
        }
        if let kind { throw HTTP1ParseError(kind) }
    }

    /// Updates `facts` from one field if its name matters for framing; returns a rule it breaks.
    @inline(__always)
    private static func collect(
        _ p: UnsafeBufferPointer<UInt8>, nameStart: Int, nameLength: Int, valueStart: Int, valueEnd: Int,
        index: Int, into facts: inout FramingFacts
    ) -> HTTP1ParseError.Kind? {
        switch nameLength {
        case 4 where ASCII.equalsIgnoringCase(p, nameStart, 4, "host"):
            facts.hostCount += 1
            if facts.hostIndex < 0 { facts.hostIndex = index }
        case 6 where ASCII.equalsIgnoringCase(p, nameStart, 6, "expect"):
            forEachElement(p, valueStart, valueEnd) { s, e in
                if ASCII.equalsIgnoringCase(p, s, e - s, "100-continue") { facts.expectContinue = true }
                return true
            }
        case 7 where ASCII.equalsIgnoringCase(p, nameStart, 7, "upgrade"):
            if facts.upgradeIndex < 0 { facts.upgradeIndex = index }
        case 10 where ASCII.equalsIgnoringCase(p, nameStart, 10, "connection"):
            forEachElement(p, valueStart, valueEnd) { s, e in
                let n = e - s
                if ASCII.equalsIgnoringCase(p, s, n, "close") { facts.connectionClose = true }
                else if ASCII.equalsIgnoringCase(p, s, n, "keep-alive") { facts.connectionKeepAlive = true }
                else if ASCII.equalsIgnoringCase(p, s, n, "upgrade") { facts.connectionUpgrade = true }
                return true
            }
        case 14 where ASCII.equalsIgnoringCase(p, nameStart, 14, "content-length"):
            return collectContentLength(p, valueStart, valueEnd, into: &facts)
        case 17 where ASCII.equalsIgnoringCase(p, nameStart, 17, "transfer-encoding"):
            facts.hasTransferEncoding = true
            var sawCoding = false
            var malformed = false
            forEachElement(p, valueStart, valueEnd) { s, e in
                for i in s..<e where !ASCII.isTokenChar(p[i]) {
                    malformed = true
                    return false
                }
                sawCoding = true
                if ASCII.equalsIgnoringCase(p, s, e - s, "chunked") {
                    facts.chunkedCount += 1
                    facts.lastCodingIsChunked = true
                } else {
                    facts.hasOtherCoding = true
                    facts.lastCodingIsChunked = false
                }
                return true
            }
            if malformed || !sawCoding { return .invalidTransferEncoding }
        default:
            break
        }
        return nil
    }

    /// Parses `1*DIGIT` or a comma list of identical values (RFC 9112 §6.3 item 5; RFC 9110 §8.6).
    private static func collectContentLength(
        _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into facts: inout FramingFacts
    ) -> HTTP1ParseError.Kind? {
        if start == end { return .invalidContentLength }
        var i = start
        while i <= end {
            // One element: OWS 1*DIGIT OWS, then ',' or the end.
            while i < end && ASCII.isWhitespace(p[i]) { i += 1 }
            var value = 0
            var digits = 0
            while i < end && ASCII.isDigit(p[i]) {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int(p[i] &- 0x30))
                if o1 || o2 { return .invalidContentLength }
                value = sum
                digits += 1
                i += 1
            }
            while i < end && ASCII.isWhitespace(p[i]) { i += 1 }
            if digits == 0 { return .invalidContentLength }
            if i < end && p[i] != ASCII.comma { return .invalidContentLength }
            if let known = facts.contentLength, known != value { return .conflictingContentLengths }
            facts.contentLength = value
            i += 1
        }
        return nil
    }

    /// Calls `body(start, end)` for each non-empty, OWS-trimmed element of a comma list; stops when it returns false.
    @inline(__always)
    static func forEachElement(
        _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ body: (Int, Int) -> Bool
    ) {
        var i = start
        while i < end {
            var e = i
            while e < end && p[e] != ASCII.comma { e += 1 }
            var s = i
            var t = e
            while s < t && ASCII.isWhitespace(p[s]) { s += 1 }
            while t > s && ASCII.isWhitespace(p[t - 1]) { t -= 1 }
            if s < t && !body(s, t) { return }
            i = e + 1
        }
    }
}
