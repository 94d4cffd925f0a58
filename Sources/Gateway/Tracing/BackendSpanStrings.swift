import NetIO

/// The span attribute values of one backend (upstream endpoint and resolved address), built once per worker.
///
/// `SocketAddress.host` runs `inet_ntop` and `description` formats a string; the request path must do neither per
/// request, so each resolved route builds one with its address (`ResolvedRoute.backendStrings`), shared by every
/// worker (immutable).
final class BackendSpanStrings: Sendable {
    /// The upstream as configured (its host name is `server.address`).
    let upstream: ServiceEndpoint
    /// The resolved socket address the connection goes to.
    let address: SocketAddress
    /// `server.address` of client spans: the upstream's host (UTF-8).
    let serverAddress: [UInt8]
    /// `server.port` of client spans.
    let serverPort: Int64
    /// `network.peer.address`: the numeric host of `address` (UTF-8).
    let peerAddress: [UInt8]
    /// `network.peer.port`.
    let peerPort: Int64
    /// `tracegw.backend.address` on server spans: `host:port` of `address`.
    let addressDescription: String
    /// `url.full` up to the path: `http://authority` (UTF-8).
    let urlPrefix: [UInt8]

    init(upstream: ServiceEndpoint, address: SocketAddress) {
        self.upstream = upstream
        self.address = address
        serverAddress = Array(upstream.host.utf8)
        serverPort = Int64(upstream.port)
        peerAddress = Array(address.host.utf8)
        peerPort = Int64(address.port)
        addressDescription = address.description
        urlPrefix = Array(("http://" + upstream.authority).utf8)
    }

}
