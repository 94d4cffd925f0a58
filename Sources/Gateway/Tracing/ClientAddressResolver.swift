import HTTP1
import NetIO

/// Finds the original client behind trusted proxies, from `Forwarded` (RFC 7239) or `X-Forwarded-For`.
///
/// Only when the socket peer is a trusted proxy are the forwarding fields believed; walking the chain from the
/// nearest hop backwards, the first address that is not itself a trusted proxy is the client. Without a trusted
/// peer (the default: no `trusted_proxies`) the socket peer is the client, so callers cannot spoof it.
enum ClientAddressResolver {
    /// The forwarded client address, or nil when the socket peer should be used.
    static func clientAddress(peer: SocketAddress, fields: HTTP1Fields, trusted: [CIDRBlock]) -> String? {
        guard !trusted.isEmpty, isTrusted(peer.addressBytes, trusted) else { return nil }
        var chain: [String] = []
        var sawForwarded = false
        for i in fields.indices where fields.nameEquals(i, "forwarded") {
            sawForwarded = true
            for element in String(decoding: fields[i].value, as: UTF8.self).split(separator: ",") {
                for pair in element.split(separator: ";") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2, parts[0].trimmingCharacters(in: " ").lowercased() == "for" else { continue }
                    var value = parts[1].trimmingCharacters(in: " ")
                    if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                    if value.hasPrefix("[") , let close = value.firstIndex(of: "]") {
                        value = String(value[value.index(after: value.startIndex)..<close])
                    } else if let colon = value.firstIndex(of: ":"), value.filter({ $0 == ":" }).count == 1 {
                        value = String(value[..<colon])
                    }
                    chain.append(value)
                }
            }
        }
        if !sawForwarded {
            for i in fields.indices where fields.nameEquals(i, "x-forwarded-for") {
                for item in String(decoding: fields[i].value, as: UTF8.self).split(separator: ",") {
                    chain.append(item.trimmingCharacters(in: " "))
                }
            }
        }
        for candidate in chain.reversed() {
            guard let address = try? SocketAddress(host: candidate, port: 0) else { return candidate.isEmpty ? nil : candidate }
            if !isTrusted(address.addressBytes, trusted) { return candidate }
        }
        return chain.first
    }

    static func isTrusted(_ address: [UInt8], _ trusted: [CIDRBlock]) -> Bool {
        trusted.contains { $0.contains(address) }
    }
}

extension Substring {
    /// The substring without leading and trailing `character`s, as a String.
    func trimmingCharacters(in character: Character) -> String {
        var s = self
        while s.first == character { s = s.dropFirst() }
        while s.last == character { s = s.dropLast() }
        return String(s)
    }
}
