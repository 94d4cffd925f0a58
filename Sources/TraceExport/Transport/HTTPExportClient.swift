import Dispatch
import IOCore
import NetIO
import Synchronization

/// A blocking HTTP client for exporters: the export thread calls `send`, the request runs on the exporters' event
/// loop, and the thread waits on a semaphore until the response or the timeout.
///
/// One persistent connection per client (HTTP/1.1 keep-alive, or one HTTP/2 connection), re-opened when it
/// breaks; the host name is resolved on the calling thread (never on the loop) and re-resolved after a failed
/// connection. `@unchecked Sendable`: `connection` is touched only on `loop` (inside `loop.execute` tasks and
/// timers); `resolved` only by the export thread, which calls `send` serially (`SpanExporter` contract).
public final class HTTPExportClient: @unchecked Sendable {
    /// Which protocol to speak.
    public enum Version: Sendable, Hashable {
        /// HTTP/1.1 (OTLP/HTTP, Jaeger, Zipkin).
        case http1
        /// HTTP/2: prior knowledge over TCP (h2c), ALPN "h2" over TLS (OTLP/gRPC).
        case http2
    }

    private enum Connection {
        case http1(HTTP1ClientConnection)
        case http2(HTTP2ClientConnection)
    }

    /// The loop every connection of this client lives on.
    public let loop: EventLoop
    /// Host name or IP literal to connect to.
    public let host: String
    /// TCP port.
    public let port: UInt16
    /// The protocol.
    public let version: Version
    /// TLS settings, nil for plain TCP.
    public let tlsContext: TLSContext?
    /// Connect timeout (bounded again by each request's timeout).
    public let connectTimeoutNanoseconds: Int64

    private var resolved: [SocketAddress] = []   // export thread only
    private var nextAddress = 0                  // export thread only
    private var connection: Connection?          // loop only
    private let isShutDown = Atomic<Bool>(false)

    /// Creates a client; nothing connects until the first `send`.
    public init(loop: EventLoop, host: String, port: UInt16, version: Version, tlsContext: TLSContext?,
                connectTimeoutNanoseconds: Int64 = 10_000_000_000) {
        self.loop = loop
        self.host = host
        self.port = port
        self.version = version
        self.tlsContext = tlsContext
        self.connectTimeoutNanoseconds = connectTimeoutNanoseconds
    }

    /// The `Host` / `:authority` value.
    public var authority: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Sends `request` and waits for the complete response, at most `timeoutNanoseconds` (connect included).
    public func send(_ request: HTTPClientRequest, timeoutNanoseconds: UInt64) -> Result<HTTPClientResponse, HTTPClientError> {
        guard !isShutDown.load(ordering: .acquiring) else { return .failure(.shutDown) }
        if resolved.isEmpty {
            do {
                resolved = try SocketAddress.resolve(host: host, port: port)
            } catch {
                return .failure(.resolve(host: host, detail: "\(error)"))
            }
            guard !resolved.isEmpty else { return .failure(.resolve(host: host, detail: "no addresses")) }
        }
        let address = resolved[nextAddress % resolved.count]
        let waiter = ResponseWaiter()
        let timeout = Int64(clamping: timeoutNanoseconds)
        loop.execute { [self] in
            self.start(request, address: address, timeoutNanoseconds: timeout, waiter: waiter)
        }
        // The loop's own timer ends the request at its deadline; the extra second only covers a stalled loop.
        let result = waiter.wait(nanoseconds: timeoutNanoseconds &+ 1_000_000_000) ?? .failure(.timedOut)
        if case .failure(let error) = result {
            if case .connect = error {
                // Try the next address next time, and resolve again once all have failed.
                nextAddress += 1
                if nextAddress >= resolved.count {
                    nextAddress = 0
                    resolved = []
                }
            }
        }
        return result
    }

    /// Closes the connection; later `send` calls fail with `.shutDown`. Waits up to one second for the loop.
    public func shutdown() {
        guard !isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let done = DispatchSemaphore(value: 0)
        loop.execute { [self] in
            switch self.connection {
            case .http1(let c): c.close()
            case .http2(let c): c.close()
            case nil: break
            }
            self.connection = nil
            done.signal()
        }
        _ = done.wait(timeout: .now() + .seconds(1))
    }

    // MARK: Loop side

    private func start(_ request: HTTPClientRequest, address: SocketAddress, timeoutNanoseconds: Int64,
                       waiter: ResponseWaiter) {
        let connectTimeout = min(connectTimeoutNanoseconds, timeoutNanoseconds)
        let complete: (Result<HTTPClientResponse, HTTPClientError>) -> Void = { waiter.complete($0) }
        switch version {
        case .http1:
            let c: HTTP1ClientConnection
            if case .http1(let existing) = connection, existing.isIdle {
                c = existing
            } else {
                if case .http1(let stale) = connection { stale.close() }
                guard let made = makeHTTP1() else {
                    complete(.failure(.tls("cannot create TLS session")))
                    return
                }
                c = made
                connection = .http1(c)
                c.connect(to: address, on: loop, timeoutNanoseconds: connectTimeout)
            }
            let timer = loop.scheduleTimer(afterNanoseconds: timeoutNanoseconds) { [weak c] in
                c?.abort(.timedOut)
            }
            c.send(request) { [loop] result in
                loop.cancelTimer(timer)
                complete(result)
            }
        case .http2:
            let c: HTTP2ClientConnection
            if case .http2(let existing) = connection, existing.isUsable {
                c = existing
            } else {
                guard let made = makeHTTP2() else {
                    complete(.failure(.tls("cannot create TLS session")))
                    return
                }
                c = made
                connection = .http2(c)
                c.connect(to: address, on: loop, timeoutNanoseconds: connectTimeout)
            }
            let stream = StreamBox()
            let timer = loop.scheduleTimer(afterNanoseconds: timeoutNanoseconds) { [weak c] in
                c?.cancel(streamID: stream.id, error: .timedOut)
            }
            c.send(request, submitted: { stream.id = $0 }) { [loop] result in
                loop.cancelTimer(timer)
                complete(result)
            }
        }
    }

    private func makeTLS() -> TLSChannel?? {
        guard let tlsContext else { return .some(nil) }
        guard let channel = try? TLSChannel(context: tlsContext, serverName: host) else { return nil }
        return .some(channel)
    }

    private func makeHTTP1() -> HTTP1ClientConnection? {
        guard let tls = makeTLS() else { return nil }
        return HTTP1ClientConnection(authority: authority, tls: tls)
    }

    private func makeHTTP2() -> HTTP2ClientConnection? {
        guard let tls = makeTLS() else { return nil }
        return HTTP2ClientConnection(authority: authority, tls: tls)
    }
}

/// The stream id of an HTTP/2 request, known only after it was submitted (loop-confined).
private final class StreamBox {
    var id: Int32?
}

/// Hands one result from the loop to the waiting export thread.
private final class ResponseWaiter: Sendable {
    private let result = Mutex<Result<HTTPClientResponse, HTTPClientError>?>(nil)
    private let semaphore = DispatchSemaphore(value: 0)

    /// Stores the first result and wakes the waiter; later results are ignored.
    func complete(_ value: Result<HTTPClientResponse, HTTPClientError>) {
        let first = result.withLock { stored -> Bool in
            guard stored == nil else { return false }
            stored = value
            return true
        }
        if first { semaphore.signal() }
    }

    /// Waits up to `nanoseconds`; nil on timeout.
    func wait(nanoseconds: UInt64) -> Result<HTTPClientResponse, HTTPClientError>? {
        let deadline = DispatchTime.now() + .nanoseconds(Int(clamping: nanoseconds))
        guard semaphore.wait(timeout: deadline) == .success else { return nil }
        return result.withLock { $0 }
    }
}
