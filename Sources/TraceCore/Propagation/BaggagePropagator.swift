/// Parses and writes the W3C `baggage` header (W3C Baggage, §3 header content).
///
/// Extraction combines every `baggage` field in order, percent-decodes values, keeps member properties as opaque
/// metadata and skips invalid members (the rest of the header is still used). It keeps at most `memberLimit` (64)
/// members and `byteLimit` (8192) bytes of members, the minimums §3.3 asks implementations to propagate. Injection
/// percent-encodes values and writes whole members only: a member that would exceed either limit is left out.
public struct BaggagePropagator: Propagator, Hashable {
    /// Most members extracted or injected (W3C Baggage §3.3: at least 64 must be propagated).
    public static let memberLimit = 64
    /// Most bytes of members extracted or injected (§3.3: at least 8192 must be propagated).
    public static let byteLimit = 8192

    /// Creates the propagator.
    public init() {}

    /// `baggage`.
    public var fields: [StaticString] { ["baggage"] }

    /// Extracts the baggage, or nil baggage when the header is absent or has no valid member.
    public func extract(from carrier: some HeaderCarrier) -> ExtractedContext {
        var baggage = Baggage()
        var bytesUsed = 0
        carrier.forEachValue(ofField: "baggage") { value in
            Self.parse(value, into: &baggage, bytesUsed: &bytesUsed)
        }
        return ExtractedContext(spanContext: nil, baggage: baggage.isEmpty ? nil : baggage)
    }

    /// Writes `baggage` (if non-empty) as one `baggage` field; the span context is ignored.
    public func inject(_ context: SpanContext?, baggage: Baggage?, into carrier: inout some HeaderInjector) {
        guard let baggage, !baggage.isEmpty else { return }
        let value = Self.headerValue(for: baggage)
        if !value.isEmpty { carrier.setField("baggage", value: value) }
    }

    /// Parses a header value string (convenience for tests).
    public static func parse(_ header: String) -> Baggage {
        var baggage = Baggage()
        var bytesUsed = 0
        var header = header
        header.withUTF8 { parse(UnsafeRawBufferPointer($0), into: &baggage, bytesUsed: &bytesUsed) }
        return baggage
    }

    /// The header value for `baggage`, within the member and byte limits, whole members only.
    public static func headerValue(for baggage: Baggage) -> String {
        var result = ""
        var members = 0
        for entry in baggage.entries where isToken(Array(entry.key.utf8)) {
            var member = entry.key + "="
            percentEncode(entry.value, into: &member)
            if let metadata = entry.metadata, !metadata.isEmpty {
                member += ";" + metadata
            }
            let added = member.utf8.count + (result.isEmpty ? 0 : 1)
            if members == memberLimit { break }
            if result.utf8.count + added > byteLimit { continue }
            if !result.isEmpty { result += "," }
            result += member
            members += 1
        }
        return result
    }

    // MARK: Parsing

    static func parse(_ bytes: UnsafeRawBufferPointer, into baggage: inout Baggage, bytesUsed: inout Int) {
        var memberStart = 0
        var index = 0
        while index <= bytes.count {
            if index == bytes.count || bytes[index] == 0x2C {
                let member = UnsafeRawBufferPointer(rebasing: bytes[memberStart..<index])
                if let entry = parseMember(member), baggage.entries.count < memberLimit {
                    let size = member.count
                    if bytesUsed + size <= byteLimit {
                        bytesUsed += size + 1
                        baggage.set(entry.key, entry.value, metadata: entry.metadata)
                    }
                }
                memberStart = index + 1
            }
            index += 1
        }
    }

    /// list-member = key OWS "=" OWS value *( OWS ";" OWS property ); nil if invalid.
    static func parseMember(_ raw: UnsafeRawBufferPointer) -> Baggage.Entry? {
        let trimmed = trim(raw)
        guard !trimmed.isEmpty else { return nil }
        let semicolon = trimmed.firstIndex(of: 0x3B)
        let pair = semicolon.map { UnsafeRawBufferPointer(rebasing: trimmed[0..<$0]) } ?? trimmed
        guard let equals = pair.firstIndex(of: 0x3D) else { return nil }
        let key = trim(UnsafeRawBufferPointer(rebasing: pair[0..<equals]))
        let value = trim(UnsafeRawBufferPointer(rebasing: pair[(equals + 1)...]))
        guard isToken(key), value.allSatisfy(isBaggageOctet), let decoded = percentDecode(value) else { return nil }
        var metadata: String? = nil
        if let semicolon {
            let properties = trim(UnsafeRawBufferPointer(rebasing: trimmed[(semicolon + 1)...]))
            if !properties.isEmpty { metadata = String(decoding: properties, as: UTF8.self) }
        }
        return Baggage.Entry(key: String(decoding: key, as: UTF8.self), value: decoded, metadata: metadata)
    }

    private static func trim(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// RFC 9110 §5.6.2 token.
    static func isToken<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(isTokenCharacter)
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: return true
        default: return false
        }
    }

    /// baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E.
    static func isBaggageOctet(_ byte: UInt8) -> Bool {
        byte == 0x21 || (byte >= 0x23 && byte <= 0x2B) || (byte >= 0x2D && byte <= 0x3A)
            || (byte >= 0x3C && byte <= 0x5B) || (byte >= 0x5D && byte <= 0x7E)
    }

    /// Decodes `%XX` sequences; nil on a malformed escape.
    static func percentDecode(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard bytes.contains(0x25) else { return String(decoding: bytes, as: UTF8.self) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x25 {
                guard index + 2 < bytes.count else { return nil }
                let high = Hex.valueIgnoringCase(of: bytes[index + 1])
                let low = Hex.valueIgnoringCase(of: bytes[index + 2])
                guard high != Hex.invalid, low != Hex.invalid else { return nil }
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `value` with every byte outside baggage-octet, and `%` itself, written as `%XX`.
    static func percentEncode(_ value: String, into output: inout String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            if isBaggageOctet(byte) && byte != 0x25 {
                bytes.append(byte)
            } else {
                bytes.append(0x25)
                bytes.append(upperHex(byte >> 4))
                bytes.append(upperHex(byte & 0x0F))
            }
        }
        output += String(decoding: bytes, as: UTF8.self)
    }

    private static func upperHex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble + 0x30 : nibble + 0x37
    }
}
