import HTTP1
import IOCore
import Logging
import NetIO

/// A client's HTTP/1.1 connection: parses requests, hands each to the connection's `Exchange`, enforces the
/// client-side timeouts, and answers pipelined requests strictly in order (one exchange at a time; bytes of the
/// next request wait in `held` until the current response is complete).
///
/// Owned by one worker's loop; not `Sendable`.
final class FrontendConnection: ConnectionHandler {
    /// Why client reads are paused; reading resumes only when every reason is cleared (nghttpx's `IOControl`).
    struct ReadPauseReasons: OptionSet {
        let rawValue: UInt8
        /// The backend's send queue is above its high watermark.
        static let backendBusy = ReadPauseReasons(rawValue: 1)
        /// Bytes of the next pipelined request are held while the current exchange runs.
        static let pipelineHeld = ReadPauseReasons(rawValue: 2)
    }

    /// What the connection is waiting for, which decides the deadline that applies.
    enum Phase {
        /// Between requests: the keep-alive timeout applies.
        case idle
        /// Part of a request head has arrived: the header timeout applies.
        case readingHead
        /// An exchange is running.
        case exchanging
        /// Switched protocols: bytes are relayed both ways.
        case tunnel
        /// Response sent and FIN queued; reading and discarding until the client closes (lingering close).
        case lingering
        /// Closing after the last write.
        case closing
    }

    unowned(unsafe) let worker: Worker  // Workers live until the process exits.
    let peer: SocketAddress?
    /// The peer address as text bytes, for X-Forwarded-For and logs.
    let peerHostBytes: [UInt8]
    private(set) var connection: TCPConnection<FrontendConnection>?
    var parser: HTTP1RequestParser
    private(set) var phase: Phase = .idle
    /// Bytes received after the current request ended (the next pipelined request), parsed once it is done.
    private var held = ByteBuffer()
    private var readPause: ReadPauseReasons = []
    /// The one exchange object of this connection, reused for every request.
    private(set) lazy var exchange = Exchange(frontend: self)
    /// Whether the current request is HTTP/1.1 (else 1.0: no chunked responses).
    var parserVersionIsHTTP11 = true
    /// Index in the worker's registry.
    var registryIndex = -1
    /// Deadline for the current phase (coarse monotonic nanoseconds), 0 for none.
    private var deadline: UInt64 = 0
    /// Deadline for a client that stopped reading our writes, 0 for none.
    private var sendDeadline: UInt64 = 0

    init(worker: Worker, peer: SocketAddress?) {
        self.worker = worker
        self.peer = peer
        self.peerHostBytes = Array((peer?.host ?? "unknown").utf8)
        self.parser = HTTP1RequestParser(limits: worker.parserLimits.request)
    }

    func didOpen(_ connection: TCPConnection<FrontendConnection>) {
        self.connection = connection
        enterIdle()
    }

    /// Whether no request is in progress (safe to close while draining).
    var isIdle: Bool { phase == .idle }

    // MARK: ConnectionHandler

    func connection(_ connection: TCPConnection<FrontendConnection>, didRead bytes: UnsafeRawBufferPointer) {
        switch phase {
        case .tunnel:
            exchange.relayToBackend(bytes)
        case .closing, .lingering:
            break
        case .exchanging where exchange.isRequestComplete:
            hold(bytes)
        case .idle, .readingHead, .exchanging:
            parse(bytes)
        }
    }

    func connectionDidReadEOF(_ connection: TCPConnection<FrontendConnection>) {
        switch phase {
        case .idle, .closing, .lingering:
            connection.close(afterFlushing: true)
        case .readingHead:
            close()
        case .tunnel:
            exchange.frontendDidHalfClose()
        case .exchanging:
            // A client that goes away cancels its backend request (issue 3 §4), as nginx does without
            // proxy_ignore_client_abort: a FIN cannot be told apart from a full close, and waiting for a backend that
            // may never answer would hold both connections open until response_timeout.
            worker.logger.info("client closed the connection during a request; cancelling the backend request",
                               metadata: ["client": "\(peer?.description ?? "-")"])
            exchange.abort(reason: "client closed the connection")
            close()
        }
    }

    func connection(_ connection: TCPConnection<FrontendConnection>, writabilityChanged isWritable: Bool) {
        if isWritable {
            sendDeadline = 0
            exchange.frontendBecameWritable()
        } else {
            sendDeadline = worker.coarseNow &+ worker.limits.sendTimeout.nanoseconds
            exchange.frontendBecameBusy()
        }
    }

    func connection(_ connection: TCPConnection<FrontendConnection>, didCloseWith error: IOError?) {
        // Also when `close()` already set `.closing` (forceClose on drain timeout, send timeout): an exchange still
        // active must drop its backend, which would otherwise outlive this connection and call into it.
        if exchange.isActive {
            exchange.abort(reason: error.map { "client connection failed: \($0)" } ?? "client closed the connection")
        }
        phase = .closing
        self.connection = nil
        // Deregister on the next loop pass: callers up the stack (an exchange writing a response) may still touch
        // this object, and the closure keeps it alive until they have returned.
        worker.loop.runSoon { [self] in worker.frontendDidClose(self) }
    }

    // MARK: Parsing

    /// Parses `bytes`, driving the exchange, until they are used up or the current request is complete.
    private func parse(_ bytes: UnsafeRawBufferPointer) {
        // Read once: every access to the lazy property retains and releases the exchange (three per request here).
        let exchange = self.exchange
        // What these bytes produced for the backend leaves in one write (also for held pipelined bytes parsed from
        // a backend callback, where no client read ends afterwards).
        defer { if phase == .exchanging { exchange.frontendReadDidFinish() } }
        var offset = 0
        // Stop as soon as the connection closed under us (a failed write while handling an event).
        while connection != nil, offset < bytes.count || phase == .exchanging {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            let consumed: Int
            let event: HTTP1RequestEvent
            do {
                (consumed, event) = try parser.parse(rest)
            } catch {
                requestFailed(error)
                return
            }
            offset += consumed
            switch event {
            case .head(let head):
                phase = .exchanging
                parserVersionIsHTTP11 = head.version == .http1_1
                deadline = worker.coarseNow &+ worker.limits.clientBodyTimeout.nanoseconds
                exchange.start(head)
            case .body(let range):
                deadline = worker.coarseNow &+ worker.limits.clientBodyTimeout.nanoseconds
                exchange.forwardRequestBody(UnsafeRawBufferPointer(rebasing: rest[range]))
            case .trailers(let fields):
                exchange.forwardRequestTrailers(fields)
            case .end:
                deadline = 0
                exchange.requestDidEnd()
                // The exchange may have completed at once (a local response): parse the next pipelined request.
                if phase == .idle { continue }
                if offset < bytes.count, phase == .exchanging || phase == .tunnel {
                    hold(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                }
                return
            case .needMore:
                if phase == .idle, !parser.isIdle {
                    phase = .readingHead
                    deadline = worker.coarseNow &+ worker.limits.headerReadTimeout.nanoseconds
                }
                return
            }
            guard phase == .exchanging || phase == .readingHead || phase == .idle else { return }
        }
    }

    /// Keeps bytes that arrived after the current request, pausing reads once a bounded amount is held.
    private func hold(_ bytes: UnsafeRawBufferPointer) {
        if phase == .tunnel {
            exchange.relayToBackend(bytes)
            return
        }
        held.writeBytes(bytes)
        if held.readableBytes > 64 * 1024 { pauseReading(.pipelineHeld) }
    }

    /// Called by the exchange when its response is complete and the connection stays open.
    func exchangeDidComplete(keepAlive: Bool) {
        guard let connection, phase == .exchanging else { return }
        connection.flush()
        // The flush may have failed and closed the connection: never start another request on it.
        guard self.connection != nil, phase == .exchanging else { return }
        guard keepAlive, !worker.isStopping else {
            closeGracefully()
            return
        }
        enterIdle()
        resumeReading(.pipelineHeld)
        if held.readableBytes > 0 {
            var pending = held
            held = ByteBuffer()
            pending.withUnsafeReadableBytes { parse($0) }
            // Reuse the storage for the next pipelined batch.
            if held.readableBytes == 0 {
                pending.clear()
                held = pending
            }
        }
    }

    /// Switches to relaying raw bytes (after a 101 response); held bytes go to the backend first.
    func enterTunnel() {
        phase = .tunnel
        deadline = 0
        resumeReading(.pipelineHeld)
        if held.readableBytes > 0 {
            held.withUnsafeReadableBytes { exchange.relayToBackend($0) }
            held.clear()
        }
    }

    private func enterIdle() {
        phase = .idle
        deadline = worker.coarseNow &+ worker.limits.keepAliveTimeout.nanoseconds
    }

    /// A malformed request: answer with the error's status and close (RFC 9112 §11.2 forbids resynchronising).
    private func requestFailed(_ error: HTTP1ParseError) {
        worker.logger.info("bad request: \(error)", metadata: ["client": "\(peer?.description ?? "-")"])
        if phase == .exchanging {
            exchange.requestFailed(error)
        } else {
            respondWithError(status: error.status, close: true)
        }
    }

    // MARK: Writing

    /// Writes a gateway-generated response (status line, Content-Type, Content-Length, body) and, when `close`,
    /// closes after flushing.
    func respondWithError(status: Int, close: Bool, extraFields: (inout ByteBuffer) -> Void = { _ in }) {
        guard let connection else { return }
        var buffer = worker.loop.bufferPool.take()
        ErrorResponse.write(status: status, close: close, into: &buffer, extraFields: extraFields)
        connection.write(buffer)
        connection.flush()
        worker.statistics.gatewayErrors.add(1, ordering: .relaxed)
        if close { closeGracefully() }
    }

    func write(_ buffer: ByteBuffer) { connection?.write(buffer) }
    /// Queues a pooled buffer the caller lets go of; later small copies may fill its room (`TCPConnection.write(handingOver:)`).
    func write(handingOver buffer: ByteBuffer) { connection?.write(handingOver: buffer) }
    func write(bytes: UnsafeRawBufferPointer) { connection?.write(bytes: bytes) }
    func flush() { connection?.flush() }
    var isWritable: Bool { connection?.isWritable ?? true }
    func shutdownOutput() { connection?.shutdownOutput() }

    /// Closes the connection now.
    func close() {
        phase = .closing
        connection?.close()
    }

    /// Closes after queued bytes are sent.
    func closeAfterFlushing() {
        closeGracefully()
    }

    /// How long a lingering close waits for the client to finish sending (nginx's `lingering_timeout`).
    static let lingerNanoseconds: UInt64 = 5_000_000_000

    /// Ends the connection without losing the response: send what is queued, then FIN, and keep reading (and
    /// discarding) until the client closes or 5 s pass. Closing with unread request bytes in the socket would make
    /// the kernel answer with a reset, and the client could lose the response it has not read yet (nginx's lingering
    /// close).
    func closeGracefully() {
        guard let connection, phase != .lingering else { return }
        phase = .lingering
        deadline = worker.coarseNow &+ Self.lingerNanoseconds
        connection.shutdownOutput()
    }

    func pauseReading(_ reason: ReadPauseReasons) {
        if readPause.isEmpty { connection?.pauseReading() }
        readPause.insert(reason)
    }

    func resumeReading(_ reason: ReadPauseReasons) {
        guard readPause.contains(reason) else { return }
        readPause.remove(reason)
        // The client's body clock restarts when we read from it again.
        if reason == .backendBusy, phase == .exchanging, deadline != 0 {
            deadline = worker.coarseNow &+ worker.limits.clientBodyTimeout.nanoseconds
        }
        if readPause.isEmpty { connection?.resumeReading() }
    }

    // MARK: Timeouts

    /// Applies any expired deadline (called by the worker's sweep).
    func checkDeadlines(now: UInt64) {
        if sendDeadline != 0, now > sendDeadline {
            worker.logger.info("client stopped reading for longer than send_timeout; closing",
                               metadata: ["client": "\(peer?.description ?? "-")"])
            exchange.abort(reason: "send timeout")
            close()
            return
        }
        if phase == .exchanging || phase == .tunnel {
            exchange.checkDeadline(now: now)
        }
        guard deadline != 0, now > deadline else { return }
        switch phase {
        case .idle:
            close()
        case .readingHead:
            worker.logger.info("request head not received within header_read_timeout; answering 408",
                               metadata: ["client": "\(peer?.description ?? "-")"])
            respondWithError(status: 408, close: true)
        case .exchanging:
            // Reads paused while the backend is not taking the body are not the client stalling (the response
            // timeout watches the backend then).
            if readPause.contains(.backendBusy) {
                deadline = now &+ worker.limits.clientBodyTimeout.nanoseconds
                return
            }
            worker.logger.info("request body stalled longer than client_body_timeout",
                               metadata: ["client": "\(peer?.description ?? "-")"])
            exchange.clientBodyTimedOut()
        case .lingering:
            close()
        case .tunnel, .closing:
            break
        }
    }
}

@available(*, unavailable)
extension FrontendConnection: Sendable {}

/// A small response the gateway writes itself (400, 404, 408, 502, 503, 504, ...), with a text body.
enum ErrorResponse {
    static func write(status: Int, close: Bool, into buffer: inout ByteBuffer, extraFields: (inout ByteBuffer) -> Void = { _ in }) {
        let reason = HTTP1Serializer.reasonPhrase(status)
        buffer.write("HTTP/1.1 ")
        buffer.write(number: status, radix: 10)
        buffer.write(" ")
        buffer.write(reason)
        buffer.write("\r\n")
        extraFields(&buffer)
        buffer.write("Content-Type: text/plain\r\nContent-Length: ")
        buffer.write(number: 5 + reason.utf8CodeUnitCount, radix: 10)
        buffer.write(close ? "\r\nConnection: close\r\n\r\n" : "\r\n\r\n")
        buffer.write(number: status, radix: 10)
        buffer.write(" ")
        buffer.write(reason)
        buffer.write("\n")
    }
}
