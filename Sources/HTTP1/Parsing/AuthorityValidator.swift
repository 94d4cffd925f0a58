/// Checks `uri-host [ ":" port ]` as used by Host, absolute-form and authority-form targets (RFC 9112 §3.2,
/// RFC 3986 §3.2.2-3.2.3).
///
/// Strict on purpose: a Host that two components read differently is a routing-confusion risk, so userinfo, empty
/// ports, ports above 65535 and characters outside reg-name / IP-literal are all rejected.
enum AuthorityValidator {
    /// Whether `p[start..<end]` is a valid authority. `allowsEmpty` admits the empty Host of RFC 9112 §3.2;
    /// `requiresPort` is set for CONNECT.
    static func isValid(
        _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, allowsEmpty: Bool, requiresPort: Bool
    ) -> Bool {
        if start == end { return allowsEmpty && !requiresPort }
        var i = start
        if p[i] == UInt8(ascii: "[") {
            i += 1
            let literalStart = i
            while i < end && p[i] != UInt8(ascii: "]") {
                let b = p[i]
                guard ASCII.hexValue(b) != nil || b == ASCII.colon || b == UInt8(ascii: ".") else { return false }
                i += 1
            }
            guard i < end, i > literalStart else { return false }
            i += 1
        } else {
            let hostStart = i
            while i < end && p[i] != ASCII.colon {
                guard isRegNameChar(p[i]) else { return false }
                i += 1
            }
            guard i > hostStart else { return false }
        }
        if i == end { return !requiresPort }
        guard p[i] == ASCII.colon else { return false }
        i += 1
        let digits = end - i
        guard digits >= 1 && digits <= 5 else { return false }
        var port = 0
        while i < end {
            guard ASCII.isDigit(p[i]) else { return false }
            port = port * 10 + Int(p[i] &- 0x30)
            i += 1
        }
        return port <= 65535
    }

    /// unreserved / sub-delims / "%" (RFC 3986 §3.2.2 reg-name; percent triplets are not decoded here).
    @inline(__always)
    private static func isRegNameChar(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "%"),
             UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
             UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
             UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }
}
