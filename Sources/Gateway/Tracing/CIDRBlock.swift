import NetIO

/// An IPv4 or IPv6 network in CIDR notation (`10.0.0.0/8`, `::1/128`; a bare address is a single host).
public struct CIDRBlock: Sendable, Equatable, CustomStringConvertible {
    /// The network address bytes (4 or 16).
    public let network: [UInt8]
    /// The prefix length in bits.
    public let prefixLength: Int
    public let description: String

    /// Parses CIDR notation; nil when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = try? SocketAddress(host: String(parts[0]), port: 0) else { return nil }
        let bytes = address.addressBytes
        let maxBits = bytes.count * 8
        var length = maxBits
        if parts.count == 2 {
            guard let n = Int(parts[1]), (0...maxBits).contains(n) else { return nil }
            length = n
        }
        network = bytes
        prefixLength = length
        description = text
    }

    /// Whether `address` (4 or 16 bytes) lies in this network. IPv4-mapped IPv6 addresses match IPv4 blocks.
    public func contains(_ address: [UInt8]) -> Bool {
        var candidate = address
        if network.count == 4, address.count == 16, address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xFF, address[11] == 0xFF {
            candidate = Array(address[12..<16])
        }
        guard candidate.count == network.count else { return false }
        var bits = prefixLength
        var i = 0
        while bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if candidate[i] & mask != network[i] & mask { return false }
            bits -= 8
            i += 1
        }
        return true
    }
}
