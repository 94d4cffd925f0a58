/// Incremental `tracestate` parser over one or more field values (W3C Trace Context §3.3.1).
struct TraceStateParser {
    private var members: [(key: String, value: String)] = []
    private var invalid = false

    /// The parsed state, or nil if the header was malformed or had more than 32 members.
    var result: TraceState? { invalid ? nil : TraceState(members: members) }

    /// Parses one field value and appends its members.
    mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        guard !invalid else { return }
        var memberStart = 0
        var index = 0
        while index <= bytes.count {
            if index == bytes.count || bytes[index] == 0x2C {
                consumeMember(UnsafeRawBufferPointer(rebasing: bytes[memberStart..<index]))
                if invalid { return }
                memberStart = index + 1
            }
            index += 1
        }
    }

    private mutating func consumeMember(_ raw: UnsafeRawBufferPointer) {
        var start = 0
        var end = raw.count
        while start < end, raw[start] == 0x20 || raw[start] == 0x09 { start += 1 }
        while end > start, raw[end - 1] == 0x20 || raw[end - 1] == 0x09 { end -= 1 }
        if start == end { return }  // empty members are allowed and ignored
        let member = UnsafeRawBufferPointer(rebasing: raw[start..<end])
        guard let equals = member.firstIndex(of: 0x3D) else {
            invalid = true
            return
        }
        let key = UnsafeRawBufferPointer(rebasing: member[0..<equals])
        let value = UnsafeRawBufferPointer(rebasing: member[(equals + 1)...])
        guard Self.isValidKey(key), Self.isValidValue(value) else {
            invalid = true
            return
        }
        let keyString = String(decoding: key, as: UTF8.self)
        // A repeated key keeps its first value (the spec lets a vendor keep or drop duplicates; the header stays).
        if members.contains(where: { $0.key == keyString }) { return }
        guard members.count < TraceContextPropagator.traceStateMemberLimit else {
            invalid = true
            return
        }
        members.append((key: keyString, value: String(decoding: value, as: UTF8.self)))
    }

    /// `keychar = lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@"`.
    private static func isKeyCharacter(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x2D
            || byte == 0x2A || byte == 0x2F || byte == 0x40
    }

    /// `key = ( lcalpha / DIGIT ) 0*255 ( keychar )` — the current W3C Trace Context grammar (Level 2), which
    /// accepts every Level 1 `simple-key` and `multi-tenant-key` (`tenant@system`) and also `foo@`, `foo@@bar`.
    static func isValidKey(_ key: UnsafeRawBufferPointer) -> Bool {
        guard !key.isEmpty, key.count <= 256 else { return false }
        let first = key[0]
        guard (first >= 0x61 && first <= 0x7A) || (first >= 0x30 && first <= 0x39) else { return false }
        return key.dropFirst().allSatisfy(isKeyCharacter)
    }

    /// value = 0*255(chr) nblk-chr, chr = %x20 / nblk-chr, nblk-chr = %x21-2B / %x2D-3C / %x3E-7E.
    static func isValidValue(_ value: UnsafeRawBufferPointer) -> Bool {
        guard !value.isEmpty, value.count <= 256, value[value.count - 1] != 0x20 else { return false }
        return value.allSatisfy { $0 >= 0x20 && $0 <= 0x7E && $0 != 0x2C && $0 != 0x3D }
    }
}
