/// Recognizes textual IP addresses, to tell Zipkin's `ipv4`/`ipv6` endpoint fields from a host name.
///
/// IPv4 is the dotted-decimal form of RFC 791 / inet_aton's strict variant (four decimal octets ≤ 255); IPv6 is
/// recognized loosely (RFC 4291 §2.2 text forms contain ':' and only hex digits, ':' and '.'), enough to route a
/// value to the right field. No allocation.
enum IPLiteral: Equatable {
    /// A dotted-decimal IPv4 address.
    case v4
    /// An IPv6 address in any RFC 4291 text form.
    case v6

    /// The literal's family, or nil when `text` is not an IP literal (a host name).
    static func kind(_ text: String) -> IPLiteral? {
        kind(text.utf8)
    }

    /// The family of the literal spelled by `utf8` (an attribute value read in place), or nil for a host name.
    @inline(__always)
    static func kind(_ utf8: some Sequence<UInt8>) -> IPLiteral? {
        var dots = 0
        var colons = 0
        var octet = 0
        var digits = 0
        var decimalOnly = true
        var hexOnly = true
        for b in utf8 {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                octet = octet * 10 + Int(b - UInt8(ascii: "0"))
                digits += 1
                if octet > 255 || digits > 3 { decimalOnly = false }
            case UInt8(ascii: "."):
                if digits == 0 { decimalOnly = false }
                dots += 1
                octet = 0
                digits = 0
            case UInt8(ascii: ":"):
                colons += 1
                decimalOnly = false
            case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"):
                decimalOnly = false
            default:
                decimalOnly = false
                hexOnly = false
            }
        }
        if decimalOnly && dots == 3 && digits > 0 { return .v4 }
        if hexOnly && colons >= 2 { return .v6 }
        return nil
    }
}
