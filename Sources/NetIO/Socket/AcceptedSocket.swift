import Glibc

/// A freshly accepted, non-blocking, close-on-exec socket that has not been adopted by a connection yet.
///
/// Non-copyable so exactly one owner adopts it; dropping it unadopted closes the descriptor, so a refused or
/// failed adoption never leaks an fd.
public struct AcceptedSocket: ~Copyable {
    /// The peer's address.
    public let peer: SocketAddress?
    private let descriptor: Int32

    init(descriptor: Int32, peer: SocketAddress?) {
        self.descriptor = descriptor
        self.peer = peer
    }

    /// Hands the descriptor to its new owner, who must close it.
    public consuming func takeDescriptor() -> Int32 {
        let fd = descriptor
        discard self
        return fd
    }

    deinit { Glibc.close(descriptor) }
}
