import Glibc
import IOCore

/// An IPv4 or IPv6 socket address (numeric host and port).
///
/// Parsing accepts only literals ("127.0.0.1:8080", "[::1]:8080"): name resolution blocks, so it lives apart in
/// `SocketAddress.resolve(host:port:)`, for startup and exporters, never on a loop.
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address family.
    public enum Family: Hashable, Sendable {
        /// AF_INET.
        case ipv4
        /// AF_INET6.
        case ipv6
    }

    /// The address family.
    public let family: Family
    /// The port, in host byte order.
    public let port: UInt16
    /// The address bytes in network order, kept inline (two words) so an address never allocates.
    private let rawLow: UInt64
    private let rawHigh: UInt64
    /// IPv6 scope id (interface index), 0 otherwise.
    public let scopeID: UInt32

    /// Creates an address from raw network-order bytes (4 for IPv4, 16 for IPv6).
    public init(family: Family, addressBytes: [UInt8], port: UInt16, scopeID: UInt32 = 0) {
        precondition(addressBytes.count == (family == .ipv4 ? 4 : 16), "wrong address length")
        var raw: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: addressBytes) }
        self.init(family: family, raw: raw, port: port, scopeID: scopeID)
    }

    private init(family: Family, raw: (UInt64, UInt64), port: UInt16, scopeID: UInt32) {
        self.family = family
        rawLow = raw.0
        rawHigh = raw.1
        self.port = port
        self.scopeID = scopeID
    }

    /// Address bytes in network order: 4 for IPv4, 16 for IPv6.
    public var addressBytes: [UInt8] {
        var raw = (rawLow, rawHigh)
        return withUnsafeBytes(of: &raw) { Array($0.prefix(family == .ipv4 ? 4 : 16)) }
    }

    /// 127.0.0.1:`port`.
    public static func loopbackIPv4(port: UInt16) -> SocketAddress {
        SocketAddress(family: .ipv4, addressBytes: [127, 0, 0, 1], port: port)
    }

    /// Parses "a.b.c.d:port" or "[v6]:port".
    public init(parsing text: String) throws(SocketAddressError) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .invalidAddress(text) }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .invalidAddress(text) }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .invalidAddress(text) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = UInt16(portText) else { throw .invalidPort(text) }
        try self.init(host: String(host), port: port)
    }

    /// Parses a numeric IPv4 or IPv6 host (no brackets) with a port.
    public init(host: String, port: UInt16) throws(SocketAddressError) {
        if host.contains(":") {
            var v6 = in6_addr()
            guard inet_pton(AF_INET6, host, &v6) == 1 else { throw .invalidAddress(host) }
            self.init(family: .ipv6, addressBytes: withUnsafeBytes(of: &v6) { Array($0) }, port: port)
        } else {
            var v4 = in_addr()
            guard inet_pton(AF_INET, host, &v4) == 1 else { throw .invalidAddress(host) }
            self.init(family: .ipv4, addressBytes: withUnsafeBytes(of: &v4) { Array($0) }, port: port)
        }
    }

    /// Builds an address from a kernel `sockaddr_storage` (from accept, getsockname, getaddrinfo).
    init?(storage: UnsafeRawPointer) {
        let family = storage.load(as: sockaddr.self).sa_family
        if family == sa_family_t(AF_INET) {
            let v4 = storage.load(as: sockaddr_in.self)
            var raw: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &raw) { dst in withUnsafeBytes(of: v4.sin_addr) { dst.copyMemory(from: $0) } }
            self.init(family: .ipv4, raw: raw, port: UInt16(bigEndian: v4.sin_port), scopeID: 0)
        } else if family == sa_family_t(AF_INET6) {
            let v6 = storage.load(as: sockaddr_in6.self)
            var raw: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &raw) { dst in withUnsafeBytes(of: v6.sin6_addr) { dst.copyMemory(from: $0) } }
            self.init(family: .ipv6, raw: raw, port: UInt16(bigEndian: v6.sin6_port), scopeID: v6.sin6_scope_id)
        } else {
            return nil
        }
    }

    /// The Glibc address family constant.
    var addressFamily: Int32 { family == .ipv4 ? AF_INET : AF_INET6 }

    /// Calls `body` with this address as a `sockaddr` pointer and its length.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        switch family {
        case .ipv4:
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            var raw = (rawLow, rawHigh)
            withUnsafeMutableBytes(of: &v4.sin_addr) { dst in withUnsafeBytes(of: &raw) { dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(4))) } }
            return withUnsafePointer(to: &v4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .ipv6:
            var v6 = sockaddr_in6()
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = port.bigEndian
            v6.sin6_scope_id = scopeID
            var raw = (rawLow, rawHigh)
            withUnsafeMutableBytes(of: &v6.sin6_addr) { dst in withUnsafeBytes(of: &raw) { dst.copyMemory(from: $0) } }
            return withUnsafePointer(to: &v6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }

    /// The numeric host, e.g. "127.0.0.1" or "::1".
    public var host: String {
        var text = [CChar](repeating: 0, count: 64)
        var raw = (rawLow, rawHigh)
        _ = inet_ntop(addressFamily, &raw, &text, socklen_t(text.count))
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// "127.0.0.1:8080" or "[::1]:8080".
    public var description: String { family == .ipv4 ? "\(host):\(port)" : "[\(host)]:\(port)" }

    /// Resolves `host` with a blocking `getaddrinfo` (stream sockets): for startup and exporter threads only,
    /// never on an event loop.
    public static func resolve(host: String, port: UInt16) throws(IOError) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let first = result else { throw IOError(.resolve, errno: rc) }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let raw = info.pointee.ai_addr, let address = SocketAddress(storage: UnsafeRawPointer(raw)),
               !addresses.contains(address) {
                addresses.append(address)
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }
}

/// Why a socket address string was rejected.
public enum SocketAddressError: Error, Hashable, Sendable {
    /// The host part is not a numeric IPv4/IPv6 literal, or brackets are unbalanced.
    case invalidAddress(String)
    /// The port is missing or not in 0...65535.
    case invalidPort(String)
}
