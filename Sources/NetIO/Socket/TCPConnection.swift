import CSystemShims
import Glibc
import IOCore

/// A non-blocking TCP stream owned by one event loop, driving a statically dispatched `ConnectionHandler`.
///
/// Reads land in the loop's shared scratch buffer and are handed to the handler as a view (one copy: kernel to
/// scratch), at most `maximumReadsPerWake` per wake-up. Writes queue as `ByteBuffer`s and leave in one `writev`
/// per flush; a partial write or `EAGAIN` waits for EPOLLOUT. Crossing the watermarks calls
/// `writabilityChanged`, the hook a proxy uses to pause reading the other side (nghttpx's `IOControl`).
///
/// SIGPIPE: writes use `sendmsg(MSG_NOSIGNAL)`, so writing to a reset peer yields `EPIPE` instead of killing the
/// process, and no process-wide signal disposition is changed.
///
/// Not `Sendable`: all methods must be called on `loop`.
public final class TCPConnection<Handler: ConnectionHandler>: EventHandler, DeferredFlushing {
    private enum State {
        case connecting
        case open
        case closed
    }

    /// The loop that owns this connection.
    public let loop: EventLoop
    /// The configuration this connection was created with.
    public let configuration: ConnectionConfiguration
    /// The handler, until the connection closes.
    public private(set) var handler: Handler?
    /// The socket descriptor (-1 after close).
    public private(set) var fileDescriptor: Int32

    private var state: State
    private var registration: Registration?
    private var pending = PendingWrites()
    private var awaitingWritable = false
    private var readingPaused = false
    private var readEOF = false
    private var outputShutdownRequested = false
    private var outputShutDown = false
    private var closeWhenFlushed = false
    private var aboveHighWatermark = false
    /// A flush is waiting for its turn later in the loop pass (see `flush()`).
    private var flushDeferred = false
    private var connectTimer: TimerHandle?

    private init(fd: Int32, state: State, loop: EventLoop, configuration: ConnectionConfiguration, handler: Handler) {
        self.fileDescriptor = fd
        self.state = state
        self.loop = loop
        self.configuration = configuration
        self.handler = handler
    }

    /// Adopts an accepted socket and starts reading; returns nil (socket closed) if registration fails.
    public static func adopt(
        _ socket: consuming AcceptedSocket,
        on loop: EventLoop,
        configuration: ConnectionConfiguration = ConnectionConfiguration(),
        handler: Handler
    ) -> TCPConnection? {
        let fd = socket.takeDescriptor()
        if configuration.noDelay { _ = csys_setsockopt_int(fd, CSYS_IPPROTO_TCP, CSYS_TCP_NODELAY, 1) }
        let connection = TCPConnection(fd: fd, state: .open, loop: loop, configuration: configuration, handler: handler)
        do {
            connection.registration = try loop.register(fd: fd, events: .stream, handler: connection)
        } catch {
            Glibc.close(fd)
            return nil
        }
        return connection
    }

    /// Starts a non-blocking connect to `address`; the handler gets `connectionDidConnect`, or
    /// `didCloseWith: IOError(.connect, errno)` on failure (`ETIMEDOUT` after `timeoutNanoseconds`).
    ///
    /// Failure is always reported asynchronously, never from inside this call.
    public static func connect(
        to address: SocketAddress,
        on loop: EventLoop,
        timeoutNanoseconds: Int64 = 10_000_000_000,
        configuration: ConnectionConfiguration = ConnectionConfiguration(),
        handler: Handler
    ) -> TCPConnection {
        loop.assertInEventLoop()
        let fd = csys_socket_stream(address.addressFamily)
        let connection = TCPConnection(fd: fd, state: .connecting, loop: loop, configuration: configuration,
                                       handler: handler)
        guard fd >= 0 else {
            let e = Glibc.errno
            loop.runSoon { connection.close(error: IOError(.socket, errno: e)) }
            return connection
        }
        if configuration.noDelay { _ = csys_setsockopt_int(fd, CSYS_IPPROTO_TCP, CSYS_TCP_NODELAY, 1) }
        let rc = address.withSockAddr { Glibc.connect(fd, $0, $1) }
        if rc != 0, Glibc.errno != EINPROGRESS {
            let e = Glibc.errno
            loop.runSoon { connection.close(error: IOError(.connect, errno: e)) }
            return connection
        }
        do {
            // EPOLLOUT (or EPOLLERR) reports completion; epoll reports current readiness on ADD, so an immediate
            // success is seen too.
            connection.registration = try loop.register(fd: fd, events: .stream, handler: connection)
        } catch {
            loop.runSoon { connection.close(error: error) }
            return connection
        }
        // unowned(unsafe): the timer is cancelled in `close` and `finishConnect`, cancelled timers never run, and the
        // connection cannot be freed before `close` (its registration and handler keep it alive). A `weak` capture
        // would give every backend connection a side table and make each of its retains take the slow path.
        connection.connectTimer = loop.scheduleTimer(afterNanoseconds: timeoutNanoseconds) { [unowned(unsafe) connection] in
            connection.close(error: IOError(.connect, errno: ETIMEDOUT))
        }
        return connection
    }

    // MARK: State

    /// Whether the connection is established and not closed.
    public var isOpen: Bool { state == .open }
    /// Whether `close` has run.
    public var isClosed: Bool { state == .closed }
    /// Bytes queued but not yet accepted by the kernel.
    public var pendingWriteBytes: Int { pending.byteCount }
    /// False between crossing the high watermark and draining below the low watermark.
    public var isWritable: Bool { !aboveHighWatermark }

    // MARK: Writing

    /// Queues `buffer` without copying it; call `flush()` to send.
    public func write(_ buffer: ByteBuffer) {
        guard state != .closed, !outputShutdownRequested else { return }
        pending.append(buffer)
        checkHighWatermark()
    }

    /// Queues `buffer`, a buffer of this loop's pool the caller hands over, without copying it: small copied writes
    /// that follow (`write(bytes:)`) fill its free room instead of taking another pooled buffer, and it goes back to
    /// the pool once sent. Call `flush()` to send.
    ///
    /// A response head followed by a small body thus costs one buffer, which matters when one loop pass answers
    /// hundreds of connections and every answer waits for the end of the pass (`flush()`).
    public func write(handingOver buffer: ByteBuffer) {
        guard state != .closed, !outputShutdownRequested else { return }
        pending.append(buffer, acceptsCopies: true)
        checkHighWatermark()
    }

    /// Queues a copy of `bytes` (coalesced into a pooled buffer); call `flush()` to send.
    public func write(bytes: UnsafeRawBufferPointer) {
        guard state != .closed, !outputShutdownRequested else { return }
        pending.appendCopy(of: bytes, pool: loop.bufferPool)
        checkHighWatermark()
    }

    /// Queues `buffer` and flushes.
    public func writeAndFlush(_ buffer: ByteBuffer) {
        write(buffer)
        flush()
    }

    /// Sends queued bytes with `writev` later in the current loop pass (after the batch of events being handled, see
    /// `EventLoop.eventsPerDeferredFlush`, or at the pass's end); what the kernel does not take is sent on EPOLLOUT.
    ///
    /// Deferring sends the pass's writes back to back: a peer that is asleep is woken once
    /// for the burst instead of once per write, and several flushes of one connection in a pass cost one system call.
    public func flush() {
        guard state == .open, !awaitingWritable, !flushDeferred else { return }
        flushDeferred = true
        loop.deferFlush(self)
    }

    /// Half-closes: sends FIN (`shutdown(SHUT_WR)`) once queued bytes are flushed; reading continues.
    public func shutdownOutput() {
        guard state != .closed, !outputShutdownRequested else { return }
        outputShutdownRequested = true
        if state == .open, pending.isEmpty { performOutputShutdown() }
    }

    /// Closes the connection. With `afterFlushing`, queued bytes are sent first (reading stops now).
    public func close(afterFlushing: Bool = false) {
        guard state != .closed else { return }
        if afterFlushing, state == .open, !pending.isEmpty {
            closeWhenFlushed = true
            readingPaused = true
            flush()
            return
        }
        close(error: nil)
    }

    /// Called by the loop later in the pass in which `flush()` was called.
    public func performDeferredFlush() {
        guard flushDeferred else { return }
        flushDeferred = false
        guard state == .open, !awaitingWritable else { return }
        flushNow()
    }

    // MARK: Reading control

    /// Stops delivering reads (backpressure); the kernel buffer fills and TCP flow control slows the peer.
    public func pauseReading() {
        readingPaused = true
    }

    /// Resumes reading; bytes that arrived while paused are delivered from the loop, not from inside this call.
    public func resumeReading() {
        guard readingPaused, !closeWhenFlushed else { return }
        readingPaused = false
        if state == .open, let registration { loop.deliverAgain([.readable, .readHangup], to: registration) }
    }

    // MARK: EventHandler

    /// Routes epoll readiness to connect completion, reads and writes.
    public func handleEvents(_ events: IOEvents) {
        if state == .connecting {
            guard !events.isDisjoint(with: [.writable, .error, .hangup]) else { return }
            finishConnect()
            guard state == .open else { return }
        }
        if !events.isDisjoint(with: [.readable, .readHangup, .hangup, .error]) {
            // With a hangup already reported, no further edge will come: read to EOF even after a short read.
            readUntilBlocked(stopOnShortRead: events.isDisjoint(with: [.readHangup, .hangup, .error]))
            guard state == .open else { return }
        }
        if events.contains(.writable), awaitingWritable {
            awaitingWritable = false
            flushNow()
            guard state == .open else { return }
        }
        if events.contains(.error) {
            let code = csys_socket_error(fileDescriptor)
            close(error: IOError(.read, errno: code > 0 ? code : EIO))
        } else if events.contains(.hangup), readEOF || !readingPaused {
            // Both directions are gone: nothing more can be written.
            close(error: pending.isEmpty ? nil : IOError(.write, errno: EPIPE))
        }
    }

    /// Closes the connection when its loop stops.
    public func eventLoopWillShutDown() {
        close(error: nil)
    }

    // MARK: Internals

    private func finishConnect() {
        let code = csys_socket_error(fileDescriptor)
        guard code == 0 else {
            close(error: IOError(.connect, errno: code > 0 ? code : ECONNREFUSED))
            return
        }
        state = .open
        if let timer = connectTimer {
            loop.cancelTimer(timer)
            connectTimer = nil
        }
        handler?.connectionDidConnect(self)
        guard state == .open else { return }
        if !pending.isEmpty { flush() }
        if outputShutdownRequested, pending.isEmpty { performOutputShutdown() }
    }

    private func readUntilBlocked(stopOnShortRead: Bool) {
        let scratch = loop.readBuffer
        var reads = 0
        while state == .open, !readingPaused, !readEOF {
            if reads == configuration.maximumReadsPerWake {
                if let registration { loop.deliverAgain([.readable, .readHangup], to: registration) }
                return
            }
            reads += 1
            // recv, not read: a socket read through the file layer also pays its permission and notify hooks.
            let n = Glibc.recv(fileDescriptor, scratch.baseAddress, scratch.count, 0)
            if n > 0 {
                handler?.connection(self, didRead: UnsafeRawBufferPointer(start: scratch.baseAddress, count: n))
                // A short read drained the socket; edge-triggering reports new data later.
                if stopOnShortRead, n < scratch.count { return }
            } else if n == 0 {
                readEOF = true
                if let handler { handler.connectionDidReadEOF(self) }
                return
            } else {
                let e = Glibc.errno
                if e == EINTR { continue }
                if e == EAGAIN || e == EWOULDBLOCK { return }
                close(error: IOError(.read, errno: e))
                return
            }
        }
    }

    private func flushNow() {
        let iovecs = loop.iovecs
        let maximum = min(configuration.maximumIOVecsPerWrite, loop.maximumIOVecs)
        while !pending.isEmpty {
            let (count, offered) = pending.fillIOVecs(iovecs, maximum: maximum)
            let n: Int
            if count == 1 {
                n = csys_send_nosignal(fileDescriptor, iovecs[0].iov_base, iovecs[0].iov_len)
            } else {
                n = csys_writev_nosignal(fileDescriptor, iovecs, Int32(count))
            }
            if n >= 0 {
                pending.consume(n, pool: loop.bufferPool)
                if n < offered {
                    // Kernel buffer full: the next EPOLLOUT edge resumes.
                    awaitingWritable = true
                    break
                }
            } else {
                let e = Glibc.errno
                if e == EINTR { continue }
                if e == EAGAIN || e == EWOULDBLOCK {
                    awaitingWritable = true
                    break
                }
                close(error: IOError(.write, errno: e))
                return
            }
        }
        if aboveHighWatermark, pending.byteCount <= configuration.lowWatermark {
            aboveHighWatermark = false
            handler?.connection(self, writabilityChanged: true)
            guard state == .open else { return }
        }
        if pending.isEmpty {
            if closeWhenFlushed {
                close(error: nil)
            } else if outputShutdownRequested, !outputShutDown {
                performOutputShutdown()
            }
        }
    }

    private func checkHighWatermark() {
        if !aboveHighWatermark, pending.byteCount > configuration.highWatermark {
            aboveHighWatermark = true
            handler?.connection(self, writabilityChanged: false)
        }
    }

    private func performOutputShutdown() {
        guard !outputShutDown else { return }
        outputShutDown = true
        if Glibc.shutdown(fileDescriptor, CSYS_SHUT_WR) != 0 {
            let e = Glibc.errno
            if e != ENOTCONN { close(error: IOError(.shutdown, errno: e)) }
        }
    }

    private func close(error: IOError?) {
        guard state != .closed else { return }
        state = .closed
        if let timer = connectTimer {
            loop.cancelTimer(timer)
            connectTimer = nil
        }
        if let registration {
            loop.deregister(registration)
            self.registration = nil
        }
        if fileDescriptor >= 0 {
            Glibc.close(fileDescriptor)
            fileDescriptor = -1
        }
        pending.removeAll(pool: loop.bufferPool)
        let handler = self.handler
        self.handler = nil
        handler?.connection(self, didCloseWith: error)
    }
}

@available(*, unavailable)
extension TCPConnection: Sendable {}
