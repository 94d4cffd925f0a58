import CSystemShims
import Glibc
import IOCore

/// A listening TCP socket on one loop that accepts until `EAGAIN` and hands each socket to a closure.
///
/// Each worker binds its own listener to the same address with SO_REUSEPORT, so the kernel spreads connections
/// across loops and no accept lock exists. `maximumConnections` bounds what this listener keeps open: at the limit
/// it stops accepting (the backlog absorbs bursts) until the owner reports closes with `connectionDidClose()`.
/// Not `Sendable`: create on any thread, then `start` and use only on its loop.
public final class TCPListener: EventHandler {
    /// The bound address; with port 0 this carries the port the kernel chose.
    public let localAddress: SocketAddress
    /// The listening descriptor (-1 after close).
    public private(set) var fileDescriptor: Int32

    private var loop: EventLoop?
    private var registration: Registration?
    private var onAccept: ((consuming AcceptedSocket) -> Void)?
    private var maximumConnections = Int.max
    private var maximumAcceptsPerWake = 64
    private var retryTimer: TimerHandle?
    /// Connections accepted and not yet reported closed.
    public private(set) var openConnections = 0

    /// Creates, binds and listens (non-blocking, SO_REUSEADDR, and SO_REUSEPORT unless disabled).
    public init(address: SocketAddress, backlog: Int32 = 1024, reusePort: Bool = true) throws(IOError) {
        let fd = csys_socket_stream(address.addressFamily)
        guard fd >= 0 else { throw IOError(.socket, errno: Glibc.errno) }
        func fail(_ operation: IOOperation) -> IOError {
            let error = IOError(operation, errno: Glibc.errno)
            Glibc.close(fd)
            return error
        }
        guard csys_setsockopt_int(fd, CSYS_SOL_SOCKET, CSYS_SO_REUSEADDR, 1) == 0 else { throw fail(.setsockopt) }
        if reusePort {
            guard csys_setsockopt_int(fd, CSYS_SOL_SOCKET, CSYS_SO_REUSEPORT, 1) == 0 else { throw fail(.setsockopt) }
        }
        guard address.withSockAddr({ Glibc.bind(fd, $0, $1) }) == 0 else { throw fail(.bind) }
        guard Glibc.listen(fd, backlog) == 0 else { throw fail(.listen) }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0, let bound = withUnsafeBytes(of: &storage, { SocketAddress(storage: $0.baseAddress!) }) else {
            throw fail(.getsockname)
        }
        fileDescriptor = fd
        localAddress = bound
    }

    /// Registers with `loop` (call on the loop) and starts accepting.
    /// - Parameters:
    ///   - maximumConnections: open connections at which accepting pauses.
    ///   - maximumAcceptsPerWake: accepts per wake-up before yielding to other handlers.
    ///   - onAccept: receives each socket; adopt it (e.g. `TCPConnection.adopt`) or drop it to close it.
    public func start(
        on loop: EventLoop,
        maximumConnections: Int = .max,
        maximumAcceptsPerWake: Int = 64,
        onAccept: @escaping (consuming AcceptedSocket) -> Void
    ) throws(IOError) {
        loop.assertInEventLoop()
        self.loop = loop
        self.maximumConnections = maximumConnections
        self.maximumAcceptsPerWake = max(maximumAcceptsPerWake, 1)
        self.onAccept = onAccept
        registration = try loop.register(fd: fileDescriptor, events: .readable, handler: self)
    }

    /// Tells the listener one of its connections closed, so it may accept again below the limit.
    public func connectionDidClose() {
        openConnections -= 1
        if openConnections == maximumConnections - 1, let loop, let registration {
            loop.deliverAgain(.readable, to: registration)
        }
    }

    /// Accepts until `EAGAIN`, the per-wake budget, or the connection limit.
    public func handleEvents(_ events: IOEvents) {
        guard let loop, let onAccept, fileDescriptor >= 0 else { return }
        var accepted = 0
        while openConnections < maximumConnections {
            if accepted == maximumAcceptsPerWake {
                if let registration { loop.deliverAgain(.readable, to: registration) }
                return
            }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { csys_accept4(fileDescriptor, $0, &length) }
            }
            if fd < 0 {
                let e = Glibc.errno
                switch e {
                case EINTR, ECONNABORTED, EPROTO, EPERM:
                    continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors or memory: back off instead of spinning on the same edge.
                    scheduleRetry(on: loop)
                    return
                default:
                    return  // EAGAIN: drained.
                }
            }
            accepted += 1
            openConnections += 1
            let peer = withUnsafeBytes(of: &storage) { SocketAddress(storage: $0.baseAddress!) }
            onAccept(AcceptedSocket(descriptor: fd, peer: peer))
            if fileDescriptor < 0 { return }
        }
    }

    private func scheduleRetry(on loop: EventLoop) {
        guard retryTimer == nil else { return }
        retryTimer = loop.scheduleTimer(afterNanoseconds: 100_000_000) { [weak self] in
            guard let self else { return }
            self.retryTimer = nil
            self.handleEvents(.readable)
        }
    }

    /// Stops listening and closes the descriptor.
    public func close() {
        if let loop {
            if let registration { loop.deregister(registration) }
            if let retryTimer { loop.cancelTimer(retryTimer) }
        }
        registration = nil
        retryTimer = nil
        onAccept = nil
        if fileDescriptor >= 0 {
            Glibc.close(fileDescriptor)
            fileDescriptor = -1
        }
    }

    /// Closes the listener when its loop stops.
    public func eventLoopWillShutDown() {
        close()
    }

    deinit {
        if fileDescriptor >= 0 { Glibc.close(fileDescriptor) }
    }
}

@available(*, unavailable)
extension TCPListener: Sendable {}
