import TraceCore

/// Where a span's Zipkin `remoteEndpoint` comes from: the positions of the peer attributes in the list and their
/// integer ports, found in one pass with `forEachView` (no `String` built, no lookup per key).
///
/// The mapping (OpenTelemetry "OpenTelemetry to Zipkin Transformation", §Remote endpoint): `serviceName` from
/// `peer.service`, else from `server.address` when that is a host name; `ipv4`/`ipv6` from `network.peer.address`
/// when it is an IP literal (with `network.peer.port`), else from `server.address` when that is one; `port` falls
/// back to `server.port`. Only string values count as names and addresses, only integers as ports.
struct RemotePeer {
    /// Position of a string `peer.service`.
    var peerServiceIndex: Int?
    /// Position of a string `server.address`.
    var serverAddressIndex: Int?
    /// The IP family of `server.address`, nil when it is a host name.
    var serverAddressKind: IPLiteral?
    /// Position of a string `network.peer.address` that is an IP literal.
    var peerAddressIndex: Int?
    /// The IP family of that `network.peer.address`.
    var peerAddressKind: IPLiteral?
    /// An integer `network.peer.port`.
    var peerPort: Int64?
    /// An integer `server.port`.
    var serverPort: Int64?

    /// Finds the peer attributes of `attributes`.
    init(_ attributes: SpanAttributeList) {
        var position = 0
        attributes.forEachView { key, value in
            defer { position &+= 1 }
            // The five keys have distinct lengths, so one length test rules out all but one.
            switch key.count {
            case 12:
                if case .string = value, key.equals("peer.service") { peerServiceIndex = position }
            case 14:
                if case .string(let utf8) = value, key.equals("server.address") {
                    serverAddressIndex = position
                    serverAddressKind = IPLiteral.kind(utf8)
                }
            case 20:
                if case .string(let utf8) = value, key.equals("network.peer.address"),
                    let kind = IPLiteral.kind(utf8)
                {
                    peerAddressIndex = position
                    peerAddressKind = kind
                }
            case 17:
                if case .int(let port) = value, key.equals("network.peer.port") { peerPort = port }
            case 11:
                if case .int(let port) = value, key.equals("server.port") { serverPort = port }
            default:
                break
            }
        }
    }

    /// Position of the attribute that names the remote service, if any.
    var serviceNameIndex: Int? {
        if let peerServiceIndex { return peerServiceIndex }
        if let serverAddressIndex, serverAddressKind == nil { return serverAddressIndex }
        return nil
    }

    /// Position of the attribute holding the remote IP literal and its family, if any.
    var ip: (index: Int?, kind: IPLiteral?) {
        if let peerAddressIndex { return (peerAddressIndex, peerAddressKind) }
        if let serverAddressIndex, let serverAddressKind { return (serverAddressIndex, serverAddressKind) }
        return (nil, nil)
    }

    /// The remote port: `network.peer.port` when the IP came from `network.peer.address`, else `server.port`.
    var port: Int64? {
        if peerAddressIndex != nil, let peerPort { return peerPort }
        return serverPort
    }
}
