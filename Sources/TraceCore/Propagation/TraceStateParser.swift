/// Incremental `tracestate` parser over one or more field values (W3C Trace Context §3.3.1).
struct TraceStateParser {
    private var members: [(key: String, value: String)] = []
    private var invalid = false

    /// The parsed state, or nil if the header was malformed, had duplicate keys or more than 32 members.
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
        guard members.count < TraceContextPropagator.traceStateMemberLimit,
            !members.contains(where: { $0.key == keyString })
        else {
            invalid = true
            return
        }
        members.append((key: keyString, value: String(decoding: value, as: UTF8.self)))
    }

    /// `lcalpha / DIGIT / "_" / "-" / "*" / "/"`.
    private static func isKeyCharacter(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x2D
            || byte == 0x2A || byte == 0x2F
    }

    /// simple-key = lcalpha 0*255(key-char); multi-tenant-key = tenant-id "@" system-id, where tenant-id =
    /// (lcalpha / DIGIT) 0*240(key-char) and system-id = lcalpha 0*13(key-char).
    static func isValidKey(_ key: UnsafeRawBufferPointer) -> Bool {
        guard !key.isEmpty else { return false }
        if let at = key.firstIndex(of: 0x40) {
            let tenant = key[0..<at]
            let system = key[(at + 1)...]
            guard tenant.count >= 1, tenant.count <= 241, system.count >= 1, system.count <= 14 else { return false }
            let tenantFirst = tenant[tenant.startIndex]
            guard (tenantFirst >= 0x61 && tenantFirst <= 0x7A) || (tenantFirst >= 0x30 && tenantFirst <= 0x39),
                tenant.dropFirst().allSatisfy(isKeyCharacter)
            else { return false }
            let systemFirst = system[system.startIndex]
            return systemFirst >= 0x61 && systemFirst <= 0x7A && system.dropFirst().allSatisfy(isKeyCharacter)
        }
        guard key.count <= 256, key[0] >= 0x61, key[0] <= 0x7A else { return false }
        return key.dropFirst().allSatisfy(isKeyCharacter)
    }

    /// value = 0*255(chr) nblk-chr, chr = %x20 / nblk-chr, nblk-chr = %x21-2B / %x2D-3C / %x3E-7E.
    static func isValidValue(_ value: UnsafeRawBufferPointer) -> Bool {
        guard !value.isEmpty, value.count <= 256, value[value.count - 1] != 0x20 else { return false }
        return value.allSatisfy { $0 >= 0x20 && $0 <= 0x7E && $0 != 0x2C && $0 != 0x3D }
    }
}
