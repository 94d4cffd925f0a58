import HTTP2
import IOCore
import NetIO

/// An HTTP/2 client connection on an event loop: h2c with prior knowledge (RFC 9113 §3.3) or TLS with ALPN "h2",
/// many concurrent requests as streams, trailers delivered (gRPC needs them).
///
/// Loop-confined like `HTTP1ClientConnection`. Requests submitted before the connection is ready wait in order.
final class HTTP2ClientConnection: ConnectionHandler {
    typealias Completion = (Result<HTTPClientResponse, HTTPClientError>) -> Void

    private struct Exchange {
        var response = HTTPClientResponse(status: 0)
        var sawHead = false
        let completion: Completion
    }

    private let authority: String
    private let scheme: String
    private var tls: TLSChannel?
    private var connection: TCPConnection<HTTP2ClientConnection>?
    private var session: HTTP2Session?
    private var isReady = false
    private(set) var isClosed = false
    private var goAwayReceived = false
    private var waiting: [(HTTPClientRequest, Completion, (Int32) -> Void)] = []
    private var exchanges: [Int32: Exchange] = [:]
    private var output = ByteBuffer(capacity: 16 * 1024)

    init(authority: String, tls: TLSChannel?) {
        self.authority = authority
        self.scheme = tls == nil ? "http" : "https"
        self.tls = tls
    }

    /// Starts connecting to `address`.
    func connect(to address: SocketAddress, on loop: EventLoop, timeoutNanoseconds: Int64) {
        connection = TCPConnection.connect(to: address, on: loop, timeoutNanoseconds: timeoutNanoseconds, handler: self)
    }

    /// Whether new streams may be opened here.
    var isUsable: Bool { !isClosed && !goAwayReceived }

    /// Sends `request` as a new stream (or queues it until the connection is ready); `submitted` learns the
    /// stream id once the request is on a stream (so a timeout can cancel just that stream).
    func send(_ request: HTTPClientRequest, submitted: @escaping (Int32) -> Void, completion: @escaping Completion) {
        guard isUsable else {
            completion(.failure(.connectionClosed("connection closed or going away")))
            return
        }
        guard isReady, let session else {
            waiting.append((request, completion, submitted))
            return
        }
        var headers = [
            HTTP2Field(name: ":method", value: request.method),
            HTTP2Field(name: ":scheme", value: scheme),
            HTTP2Field(name: ":authority", value: authority),
            HTTP2Field(name: ":path", value: request.path),
        ]
        headers.reserveCapacity(4 + request.headers.count + 1)
        for (name, value) in request.headers { headers.append(HTTP2Field(name: name, value: value)) }
        headers.append(HTTP2Field(name: "content-length", value: String(request.body.count)))
        do {
            let id = try session.submitRequest(headers: headers, body: request.body)
            exchanges[id] = Exchange(completion: completion)
            submitted(id)
            flushSession()
        } catch {
            completion(.failure(.protocolViolation("\(error)")))
        }
    }

    /// Cancels one stream (RST_STREAM CANCEL) and fails its request with `error`; the connection stays up.
    func cancel(streamID: Int32?, error: HTTPClientError) {
        if let streamID, let exchange = exchanges.removeValue(forKey: streamID) {
            session?.resetStream(streamID)
            flushSession()
            exchange.completion(.failure(error))
        } else if !waiting.isEmpty {
            // Not yet sent: the connection is not ready; fail every waiting request and close.
            abort(error)
        }
    }

    /// Fails every request with `error` and closes.
    func abort(_ error: HTTPClientError) {
        failAll(error)
        connection?.close()
    }

    /// Sends GOAWAY and closes; in-flight requests fail with `.shutDown`.
    func close() {
        session?.terminate()
        flushSession()
        abort(.shutDown)
    }

    private func failAll(_ error: HTTPClientError) {
        let pending = waiting
        waiting.removeAll()
        let open = exchanges
        exchanges.removeAll()
        for (_, completion, _) in pending { completion(.failure(error)) }
        for (_, exchange) in open { exchange.completion(.failure(error)) }
    }

    // MARK: Readiness

    private func becameReady() {
        guard let connection else { return }
        if let tls, tls.stream.negotiatedProtocol != "h2" {
            abort(.tls("server did not negotiate h2 with ALPN (got \(tls.stream.negotiatedProtocol ?? "none"))"))
            connection.close()
            return
        }
        do {
            session = try HTTP2Session(role: .client)
        } catch {
            abort(.protocolViolation("\(error)"))
            return
        }
        isReady = true
        flushSession()
        let queued = waiting
        waiting.removeAll()
        for (request, completion, submitted) in queued { send(request, submitted: submitted, completion: completion) }
    }

    /// Moves nghttp2's pending frames to the socket.
    private func flushSession() {
        guard let session, let connection else { return }
        output.clear()
        do {
            try session.produceOutput(into: &output)
        } catch {
            abort(.protocolViolation("\(error)"))
            return
        }
        guard output.readableBytes > 0 else { return }
        if let tls {
            if let failure = output.withUnsafeReadableBytes({ bytes in tls.trySend(bytes, on: connection) }) {
                abort(.tls("\(failure)"))
                return
            }
        } else {
            output.withUnsafeReadableBytes { connection.write(bytes: $0) }
        }
        connection.flush()
    }

    // MARK: ConnectionHandler

    func connectionDidConnect(_ connection: TCPConnection<HTTP2ClientConnection>) {
        guard let tls else {
            becameReady()
            return
        }
        do {
            if try tls.advanceHandshake(connection) { becameReady() }
        } catch {
            abort(.tls("\(error)"))
        }
    }

    func connection(_ connection: TCPConnection<HTTP2ClientConnection>, didRead bytes: UnsafeRawBufferPointer) {
        guard let tls else {
            process(bytes)
            return
        }
        do {
            let open = try tls.receive(bytes, on: connection, handshakeDone: { becameReady() }) { plaintext in
                if isReady { process(plaintext) }
            }
            if !open { connection.close() }
        } catch {
            abort(.tls("\(error)"))
        }
    }

    func connectionDidReadEOF(_ connection: TCPConnection<HTTP2ClientConnection>) {
        connection.close()
    }

    func connection(_ connection: TCPConnection<HTTP2ClientConnection>, didCloseWith error: IOError?) {
        isClosed = true
        self.connection = nil
        let reason = error.map { "\($0)" } ?? "closed by peer"
        failAll(isReady ? .connectionClosed(reason) : .connect(reason))
        session = nil
    }

    // MARK: Frames

    private func process(_ bytes: UnsafeRawBufferPointer) {
        guard let session else { return }
        let events: [HTTP2SessionEvent]
        do {
            events = try session.receive(bytes)
        } catch {
            flushSession()
            abort(.protocolViolation("\(error)"))
            return
        }
        for event in events {
            switch event {
            case .headers(let id, let fields, let isTrailers, _):
                guard var exchange = exchanges[id] else { continue }
                let pairs = fields.map { (name: $0.name, value: $0.value) }
                if !exchange.sawHead && !isTrailers {
                    exchange.sawHead = true
                    exchange.response.status = Int(fields.first(named: ":status") ?? "") ?? 0
                    exchange.response.headers = pairs.filter { !$0.name.hasPrefix(":") }
                } else {
                    exchange.response.trailers = pairs
                }
                exchanges[id] = exchange
            case .data(let id, let data, _):
                exchanges[id]?.response.body.append(contentsOf: data)
            case .streamClosed(let id, let code):
                guard let exchange = exchanges.removeValue(forKey: id) else { continue }
                if code == 0 {
                    var response = exchange.response
                    // Trailers-Only (gRPC): the single header block also carries the trailers.
                    if response.trailers.isEmpty, response.body.isEmpty { response.trailers = response.headers }
                    exchange.completion(.success(response))
                } else {
                    exchange.completion(.failure(.connectionClosed("stream reset by peer (HTTP/2 error \(code))")))
                }
            case .goAway:
                goAwayReceived = true
            }
        }
        flushSession()
        if goAwayReceived, exchanges.isEmpty { connection?.close() }
    }
}
