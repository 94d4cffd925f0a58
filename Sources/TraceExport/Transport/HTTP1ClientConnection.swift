import HTTP1
import IOCore
import NetIO

/// An HTTP/1.1 client connection on an event loop: one request at a time, kept alive between requests
/// (RFC 9112 §9.3), over plain TCP or TLS.
///
/// Loop-confined: created, used and closed only on its loop (the `HTTPExportClient` reaches it through
/// `loop.execute`). A request queued while the connection (or its TLS handshake) is still being set up is sent
/// as soon as it is ready.
final class HTTP1ClientConnection: ConnectionHandler {
    typealias Completion = (Result<HTTPClientResponse, HTTPClientError>) -> Void

    private let authority: String
    private var tls: TLSChannel?
    private var connection: TCPConnection<HTTP1ClientConnection>?
    private var isReady = false
    private(set) var isClosed = false
    private var parser = HTTP1ResponseParser()

    private var waiting: (HTTPClientRequest, Completion)?
    private var completion: Completion?
    private var response = HTTPClientResponse(status: 0)
    private var keepAlive = true

    init(authority: String, tls: TLSChannel?) {
        self.authority = authority
        self.tls = tls
    }

    /// Starts connecting to `address`; the outcome arrives through the handler callbacks.
    func connect(to address: SocketAddress, on loop: EventLoop, timeoutNanoseconds: Int64) {
        connection = TCPConnection.connect(to: address, on: loop, timeoutNanoseconds: timeoutNanoseconds, handler: self)
    }

    /// Whether a new request may be sent on this connection (open, idle).
    var isIdle: Bool { !isClosed && completion == nil && waiting == nil }

    /// Sends `request`, or queues it until the connection is ready; `completion` runs exactly once on the loop.
    func send(_ request: HTTPClientRequest, completion: @escaping Completion) {
        guard !isClosed else {
            completion(.failure(.connectionClosed("connection already closed")))
            return
        }
        if isReady {
            write(request, completion: completion)
        } else {
            waiting = (request, completion)
        }
    }

    /// Fails the request in flight with `error` and closes the connection.
    func abort(_ error: HTTPClientError) {
        if let (_, waitingCompletion) = waiting {
            waiting = nil
            waitingCompletion(.failure(error))
        }
        finish(.failure(error))
        connection?.close()
    }

    /// Closes the connection (idle or not); an in-flight request fails with `.shutDown`.
    func close() {
        abort(.shutDown)
    }

    // MARK: Writing

    private func write(_ request: HTTPClientRequest, completion: @escaping Completion) {
        guard let connection else { return }
        self.completion = completion
        response = HTTPClientResponse(status: 0)
        parser.reset()
        var head = ByteBuffer(capacity: 256 + request.headers.count * 64)
        head.writeString("\(request.method) \(request.path) HTTP/1.1\r\nhost: \(authority)\r\ncontent-length: \(request.body.count)\r\n")
        for (name, value) in request.headers {
            head.writeString(name)
            head.writeString(": ")
            head.writeString(value)
            head.writeString("\r\n")
        }
        head.writeString("\r\n")
        if let tls {
            var failure = head.withUnsafeReadableBytes { bytes in tls.trySend(bytes, on: connection) }
            if failure == nil { failure = request.body.withUnsafeBytes { bytes in tls.trySend(bytes, on: connection) } }
            if let failure {
                abort(.tls("\(failure)"))
                return
            }
        } else {
            connection.write(head)
            request.body.withUnsafeBytes { connection.write(bytes: $0) }
        }
        connection.flush()
    }

    private func becameReady() {
        isReady = true
        if let (request, completion) = waiting {
            waiting = nil
            write(request, completion: completion)
        }
    }

    // MARK: ConnectionHandler

    func connectionDidConnect(_ connection: TCPConnection<HTTP1ClientConnection>) {
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

    func connection(_ connection: TCPConnection<HTTP1ClientConnection>, didRead bytes: UnsafeRawBufferPointer) {
        guard let tls else {
            parse(bytes)
            return
        }
        do {
            let open = try tls.receive(bytes, on: connection, handshakeDone: { becameReady() }) { parse($0) }
            if !open { connectionEnded(connection) }
        } catch {
            abort(.tls("\(error)"))
        }
    }

    func connectionDidReadEOF(_ connection: TCPConnection<HTTP1ClientConnection>) {
        connectionEnded(connection)
    }

    func connection(_ connection: TCPConnection<HTTP1ClientConnection>, didCloseWith error: IOError?) {
        isClosed = true
        self.connection = nil
        let reason = error.map { "\($0)" } ?? "closed by peer"
        if let (_, waitingCompletion) = waiting {
            waiting = nil
            let failure: HTTPClientError = isReady ? .connectionClosed(reason) : .connect(reason)
            waitingCompletion(.failure(failure))
        }
        finish(.failure(.connectionClosed(reason)))
    }

    // MARK: Reading

    private func connectionEnded(_ connection: TCPConnection<HTTP1ClientConnection>) {
        if completion != nil {
            // A close-delimited body ends here; a cut-short response is an error.
            do {
                if case .end = try parser.eof() {
                    finish(.success(response))
                }
            } catch {
                finish(.failure(.connectionClosed("response cut short")))
            }
        }
        connection.close()
    }

    private func parse(_ bytes: UnsafeRawBufferPointer) {
        guard completion != nil else {
            // Bytes on an idle connection: never reuse it.
            connection?.close()
            return
        }
        var offset = 0
        while completion != nil {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            let consumed: Int
            let event: HTTP1ResponseEvent
            do {
                (consumed, event) = try parser.parse(rest, requestMethod: .post)
            } catch {
                abort(.protocolViolation("\(error)"))
                return
            }
            offset += consumed
            switch event {
            case .interim, .upgrade:
                continue
            case .head(let head):
                response.status = head.status
                keepAlive = head.keepAlive
                response.headers = head.fields.map { field in
                    (name: String(decoding: field.name, as: UTF8.self).lowercased(),
                     value: String(decoding: field.value, as: UTF8.self))
                }
            case .body(let range):
                response.body.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[range]))
            case .trailers(let fields):
                response.trailers = fields.map { field in
                    (name: String(decoding: field.name, as: UTF8.self).lowercased(),
                     value: String(decoding: field.value, as: UTF8.self))
                }
            case .end:
                let reusable = keepAlive && offset == bytes.count
                finish(.success(response))
                if !reusable { connection?.close() }
                return
            case .needMore:
                return
            }
        }
    }

    private func finish(_ result: Result<HTTPClientResponse, HTTPClientError>) {
        guard let completion else { return }
        self.completion = nil
        completion(result)
    }
}
