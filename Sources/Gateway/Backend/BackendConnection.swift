import HTTP1
import IOCore
import NetIO

/// One HTTP/1.1 connection to a backend: sends an exchange's request, parses the response and reports each step to
/// the exchange; between exchanges it waits idle in its `BackendPool`.
///
/// Owned by one worker's loop; not `Sendable`.
final class BackendConnection: ConnectionHandler {
    unowned(unsafe) let pool: BackendPool  // Pools live as long as their worker.
    private(set) var connection: TCPConnection<BackendConnection>?
    private var parser: HTTP1ResponseParser
    /// The exchange being served; nil while idle.
    private(set) var exchange: Exchange?
    private var requestMethod: HTTP1Method = .get
    private var responseKeepAlive = true
    /// Bytes received for the current exchange (a failure after any byte is not retried).
    private(set) var bytesReceived = 0
    /// Whether the TCP handshake completed.
    private(set) var didConnect = false
    /// Relaying raw bytes after a 101.
    private(set) var isTunnel = false
    /// When this connection went idle (monotonic), for the pool's idle timeout.
    var idleSinceNanos: UInt64 = 0

    init(pool: BackendPool) {
        self.pool = pool
        self.parser = HTTP1ResponseParser(limits: pool.worker.parserLimits.response)
    }

    /// Whether the connection can serve another exchange.
    var isUsable: Bool { (connection?.isOpen ?? false) && exchange == nil && !isTunnel }

    func connect() {
        let worker = pool.worker
        connection = TCPConnection.connect(
            to: pool.address, on: worker.loop,
            timeoutNanoseconds: Int64(clamping: worker.limits.backendConnectTimeout.nanoseconds), handler: self)
    }

    /// Binds the connection to `exchange` for one request/response.
    func attach(_ exchange: Exchange) {
        self.exchange = exchange
        requestMethod = exchange.method
        bytesReceived = 0
    }

    private func detach() -> Exchange? {
        let e = exchange
        exchange = nil
        return e
    }

    // MARK: Passthroughs used by the exchange

    func write(_ buffer: ByteBuffer) { connection?.write(buffer) }
    func write(bytes: UnsafeRawBufferPointer) { connection?.write(bytes: bytes) }
    func flush() { connection?.flush() }
    var isWritable: Bool { connection?.isWritable ?? true }
    func pauseReading() { connection?.pauseReading() }
    func resumeReading() { connection?.resumeReading() }
    func shutdownOutput() { connection?.shutdownOutput() }

    /// Closes without reporting to the exchange (the exchange asked for it).
    func close() {
        exchange = nil
        connection?.close()
    }

    // MARK: ConnectionHandler

    func connectionDidConnect(_ connection: TCPConnection<BackendConnection>) {
        didConnect = true
        exchange?.backendDidConnect()
    }

    func connection(_ connection: TCPConnection<BackendConnection>, didRead bytes: UnsafeRawBufferPointer) {
        bytesReceived &+= bytes.count
        if isTunnel {
            exchange?.relayToFrontend(bytes)
            return
        }
        guard let exchange else {
            // Bytes on an idle connection: the backend is confused; never reuse it.
            connection.close()
            return
        }
        // Whatever this read produced for the client leaves in one write at the end.
        defer { exchange.backendReadDidFinish() }
        var offset = 0
        while true {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            let consumed: Int
            let event: HTTP1ResponseEvent
            do {
                (consumed, event) = try parser.parse(rest, requestMethod: requestMethod)
            } catch {
                _ = detach()
                connection.close()
                exchange.backendFailed(reason: "invalid response from backend: \(error)", errorType: "invalid_response", receivedBytes: true)
                return
            }
            offset += consumed
            switch event {
            case .interim:
                continue
            case .head(let head):
                responseKeepAlive = head.keepAlive
                exchange.responseHeadReceived(head)
            case .upgrade(let head):
                isTunnel = true
                exchange.responseUpgraded(head)
                if offset < bytes.count { exchange.relayToFrontend(UnsafeRawBufferPointer(rebasing: bytes[offset...])) }
                return
            case .body(let range):
                exchange.forwardResponseBody(UnsafeRawBufferPointer(rebasing: rest[range]))
            case .trailers(let fields):
                exchange.forwardResponseTrailers(fields)
            case .end:
                // Extra bytes after a complete response mean the backend is out of step: do not reuse.
                let reusable = responseKeepAlive && offset == bytes.count
                _ = detach()
                exchange.responseDidEnd(backendReusable: reusable)
                return
            case .needMore:
                return
            }
            // The exchange may have been aborted by what it just did (a client write failing).
            guard self.exchange === exchange, connection.isOpen else { return }
        }
    }

    func connectionDidReadEOF(_ connection: TCPConnection<BackendConnection>) {
        if isTunnel {
            exchange?.backendDidHalfClose()
            return
        }
        guard let exchange else {
            connection.close()
            return
        }
        do {
            if case .end? = try parser.eof() {
                _ = detach()
                connection.close()
                exchange.responseDidEnd(backendReusable: false)
                return
            }
        } catch {
            // Fall through: a response cut short.
        }
        _ = detach()
        connection.close()
        exchange.backendFailed(reason: "backend closed the connection before the response was complete",
                               errorType: "backend_closed", receivedBytes: bytesReceived > 0)
    }

    func connection(_ connection: TCPConnection<BackendConnection>, writabilityChanged isWritable: Bool) {
        if isWritable { exchange?.backendBecameWritable() } else { exchange?.backendBecameBusy() }
    }

    func connection(_ connection: TCPConnection<BackendConnection>, didCloseWith error: IOError?) {
        self.connection = nil
        pool.connectionDidClose(self)
        guard let exchange = detach() else { return }
        if isTunnel {
            exchange.tunnelDidClose()
            return
        }
        let type: String
        let reason: String
        if !didConnect {
            type = error?.errno == 110 ? "connect_timeout" : "connection_refused"
            reason = "cannot connect to backend \(pool.address): \(error.map { "\($0)" } ?? "closed")"
        } else {
            type = "connection_reset"
            reason = "backend connection \(pool.address) failed: \(error.map { "\($0)" } ?? "closed")"
        }
        exchange.backendFailed(reason: reason, errorType: type, receivedBytes: bytesReceived > 0, neverConnected: !didConnect)
    }
}

@available(*, unavailable)
extension BackendConnection: Sendable {}
