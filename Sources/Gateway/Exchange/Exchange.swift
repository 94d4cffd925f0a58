import HTTP1
import IOCore
import Logging
import NetIO

/// One request/response across the frontend and the backend — the one object that sees every step of it (nghttpx's
/// `Downstream`), so tracing can observe the whole exchange from here.
///
/// Each client connection owns one `Exchange` and reuses it for every request. Owned by the worker's loop.
final class Exchange {
    /// How the response body is framed towards the client.
    enum ClientFraming {
        case none, contentLength, chunked, untilClose
    }

    /// The connection that owns this exchange (and outlives it: the exchange is detached from its backend before
    /// the connection closes), so no reference counting is paid on the hot path.
    unowned(unsafe) let frontend: FrontendConnection
    var worker: Worker { frontend.worker }
    /// The spans of the current request (its state is freed in `deinit`).
    let tracer = ExchangeTracer()
    /// The worker's tracing (nil when tracing is off), read once: the worker's is a constant.
    private let tracing: WorkerTracing?

    // Request side.
    private(set) var isActive = false
    private(set) var method: HTTP1Method = .get
    private var requestKeepAlive = true
    private var requestFraming: HTTP1BodyFraming = .none
    /// The parser delivered the request's end.
    private(set) var isRequestComplete = false
    private var requestBodyBytesSent = 0
    private var requestTrailersSent = false
    /// The serialized request head, kept for a retry.
    private var requestHead = ByteBuffer()
    /// Where the request head's fields end in `requestHead`; each attempt writes its trace context and the blank
    /// line from there.
    private var requestHeadLength = 0
    private var tunnelRequested = false

    // Routing and backend.
    private var route: ResolvedRoute?
    private var backendAddress: SocketAddress?
    /// The backend pool of the last route this connection's requests went to, and that route: consecutive requests
    /// on one connection nearly always take the same route, so its pool is found without hashing the address.
    private var cachedPool: BackendPool?
    private var cachedPoolRoute: ResolvedRoute?
    private var backend: BackendConnection?
    private var attempts = 0
    private var backendWasReused = false

    // Response side.
    private var responseHeadReceived = false
    private var responseStarted = false
    private var responseComplete = false
    private var clientFraming: ClientFraming = .none
    private var closeAfterResponse = false
    private var responseDeadline: UInt64 = 0
    private(set) var isTunnel = false
    private var frontendHalfClosed = false
    private var backendHalfClosed = false
    /// The status sent to the client, and why the gateway failed the request (for the span).
    private var responseStatus = 0
    private var gatewayErrorType: String?
    /// The backend request target and upstream, for client spans.
    private var backendTarget = ArraySlice<UInt8>()

    init(frontend: FrontendConnection) {
        self.frontend = frontend
        tracing = frontend.worker.tracing
    }

    deinit {
        tracer.release()
    }

    private func reset() {
        isActive = true
        requestBodyBytesSent = 0
        requestTrailersSent = false
        isRequestComplete = false
        tunnelRequested = false
        route = nil
        backendAddress = nil
        backend = nil
        attempts = 0
        backendWasReused = false
        responseHeadReceived = false
        responseStarted = false
        responseComplete = false
        clientFraming = .none
        closeAfterResponse = false
        responseDeadline = 0
        isTunnel = false
        frontendHalfClosed = false
        backendHalfClosed = false
        responseStatus = 0
        gatewayErrorType = nil
    }

    // MARK: Request

    /// A request head arrived: route it, build the backend request and send it.
    func start(_ head: HTTP1RequestHead) {
        reset()
        method = head.method
        requestKeepAlive = head.keepAlive
        requestFraming = head.framing

        let pathAndQuery: ArraySlice<UInt8>
        var hostOverride: ArraySlice<UInt8>?
        switch head.target {
        case .origin(let pq):
            pathAndQuery = pq
        case .absolute(_, let authority, let pq):
            pathAndQuery = pq.isEmpty ? ArraySlice("/".utf8) : pq
            hostOverride = authority
        case .asterisk:
            pathAndQuery = ArraySlice("*".utf8)
        case .authority:
            if let tracing { tracer.begin(head, pathAndQuery: head.rawTarget, route: nil, frontend: frontend, tracing: tracing) }
            respondLocally(status: 405, errorType: "connect_not_supported")
            return
        }
        let pathEnd = pathAndQuery.firstIndex(of: UInt8(ascii: "?")) ?? pathAndQuery.endIndex
        let routes = worker.routes
        guard let match = pathAndQuery[..<pathEnd].withUnsafeBytes({ routes.match($0) }) else {
            if let tracing { tracer.begin(head, pathAndQuery: pathAndQuery, route: nil, frontend: frontend, tracing: tracing) }
            respondLocally(status: 404, errorType: "no_route")
            return
        }
        route = match
        backendAddress = match.address
        backendTarget = pathAndQuery
        if let tracing {
            tracer.begin(head, pathAndQuery: pathAndQuery, route: match.configuredRoute, frontend: frontend, tracing: tracing)
            let captureNames = match.route.template.captureNames
            if tracer.isTracing, !captureNames.isEmpty {
                pathAndQuery[..<pathEnd].withUnsafeBytes { path in
                    _ = match.route.template.matches(path) { index, range in
                        tracer.recordCapture(captureNames[index], UnsafeRawBufferPointer(rebasing: path[range]))
                    }
                }
            }
        }

        if let protocols = head.upgradeProtocols {
            var allowed = false
            var h2c = false
            for token in HTTP1TokenList(protocols) {
                if token.elementsEqualIgnoringASCIICase("h2c") { h2c = true }
                for name in worker.limits.upgradeAllowlist where token.elementsEqualIgnoringASCIICase(name) { allowed = true }
            }
            tunnelRequested = allowed && !h2c
        }

        releaseRequestHead()
        requestHead = worker.requestHeadPool.take()
        writeRequestHead(head, pathAndQuery: pathAndQuery, hostOverride: hostOverride, route: match)
        requestHeadLength = requestHead.writerIndex
        sendRequestHead(freshConnection: false, flushNow: false)
        guard isActive else { return }
        if head.expectsContinue, head.framing != .none, !responseStarted {
            // We answer Expect ourselves (nginx does the same) and do not forward it.
            var buffer = worker.loop.bufferPool.take()
            HTTP1Serializer.write100Continue(into: &buffer)
            frontend.write(buffer)
            frontend.flush()
        }
    }

    private func writeRequestHead(_ head: HTTP1RequestHead, pathAndQuery: ArraySlice<UInt8>,
                                  hostOverride: ArraySlice<UInt8>?, route: ResolvedRoute) {
        // The route, not a copy of its upstream: the upstream's strings are read only for a request without a Host.
        HTTP1Serializer.writeRequestLine(method: head.method, target: pathAndQuery, version: .http1_1, into: &requestHead)
        let fields = head.fields
        let hopByHop = HopByHopFields(fields, keepsUpgrade: tunnelRequested)
        var sawHost = false
        for i in fields.indices {
            if hopByHop.contains(i) || ForwardedFields.isReplaced(fields, i) { continue }
            if tracer.isReplacedField(fields, i, tracing: tracing) { continue }
            if fields.nameEquals(i, "expect") || fields.nameEquals(i, "http2-settings") { continue }
            // Identical duplicate Content-Lengths were accepted (RFC 9112 §6.3): forward one, written below.
            if fields.nameEquals(i, "content-length") { continue }
            if fields.nameEquals(i, "host") {
                sawHost = true
                if hostOverride != nil { continue }
            }
            HTTP1Serializer.writeField(fields, at: i, into: &requestHead)
        }
        if let hostOverride {
            requestHead.write("Host: ")
            requestHead.write(hostOverride)
            requestHead.write("\r\n")
        } else if !sawHost {
            requestHead.write("Host: ")
            requestHead.writeString(route.route.upstream.authority)
            requestHead.write("\r\n")
        }
        ForwardedFields.write(into: &requestHead, fields: fields, clientAddress: frontend.peerHostBytes,
                              host: hostOverride ?? head.authority, scheme: worker.scheme)
        if case .chunked = head.framing { requestHead.write("Transfer-Encoding: chunked\r\n") }
        if case .contentLength(let length) = head.framing {
            HTTP1Serializer.writeContentLength(length, into: &requestHead)
        }
        if tunnelRequested { requestHead.write("Connection: Upgrade\r\n") }
        // The head ends per attempt, after that attempt's trace context (see `sendRequestHead`).
    }

    /// Takes a backend connection (pooled unless `freshConnection`) and sends the request head.
    ///
    /// Within a client read the flush waits for `frontendReadDidFinish`, so head and body leave in one write.
    private func sendRequestHead(freshConnection: Bool, flushNow: Bool) {
        guard let backendAddress else { return }
        let pool: BackendPool
        if let cachedPool, let route, cachedPoolRoute === route {
            pool = cachedPool
        } else {
            pool = worker.pool(for: backendAddress)
            cachedPool = pool
            cachedPoolRoute = route
        }
        let connection: BackendConnection
        if !freshConnection, let idle = pool.takeIdle() {
            idle.attach(self)
            connection = idle
            backendWasReused = true
        } else if pool.canOpen {
            connection = pool.open(for: self)
            backendWasReused = false
        } else {
            worker.logger.warning("backend connection limit reached", metadata: ["backend": "\(backendAddress)"])
            respondLocally(status: 503, errorType: "backend_connection_limit")
            return
        }
        backend = connection
        attempts += 1
        responseDeadline = worker.coarseNow &+ (route?.responseTimeoutNanoseconds ?? 0)
        // This attempt's trace context and the head's end follow the head in its own buffer; a retry writes its
        // own over them (a copy still queued on the abandoned connection keeps its bytes: the buffer copies first).
        requestHead.moveWriterIndex(backTo: requestHeadLength)
        if let route {
            tracer.attemptStarted(
                attempt: attempts, method: method, backend: route.backendStrings,
                pathAndQuery: backendTarget, reusedConnection: backendWasReused, tracing: tracing, into: &requestHead)
        }
        HTTP1Serializer.writeHeadEnd(into: &requestHead)
        connection.write(requestHead)
        if flushNow { connection.flush() }
    }

    /// Request body bytes, forwarded with the request's framing (chunked is re-framed, Content-Length passed on).
    func forwardRequestBody(_ bytes: UnsafeRawBufferPointer) {
        guard isActive, let backend, !bytes.isEmpty else { return }
        if case .chunked = requestFraming {
            var header = worker.loop.bufferPool.take()
            HTTP1Serializer.writeChunkHeader(size: bytes.count, into: &header)
            header.writeBytes(bytes)
            HTTP1Serializer.writeChunkEnd(into: &header)
            backend.write(header)
        } else {
            backend.write(bytes: bytes)
        }
        requestBodyBytesSent &+= bytes.count
        tracer.requestBody(bytes.count)
        // The response timeout waits for the backend, not for a client still uploading: restart it while bytes flow.
        responseDeadline = worker.coarseNow &+ (route?.responseTimeoutNanoseconds ?? 0)
        if !backend.isWritable { frontend.pauseReading(.backendBusy) }
    }

    /// The chunked request's trailers: forwarded with the last chunk.
    func forwardRequestTrailers(_ fields: HTTP1Fields) {
        guard isActive, let backend, case .chunked = requestFraming else { return }
        var buffer = worker.loop.bufferPool.take()
        HTTP1Serializer.writeLastChunk(trailers: fields, into: &buffer)
        backend.write(buffer)
        requestTrailersSent = true
    }

    /// The request is complete.
    func requestDidEnd() {
        guard isActive else { return }
        isRequestComplete = true
        if let backend, case .chunked = requestFraming, !requestTrailersSent {
            var buffer = worker.loop.bufferPool.take()
            HTTP1Serializer.writeLastChunk(into: &buffer)
            backend.write(buffer)
            requestTrailersSent = true
        }
        if !responseHeadReceived, backend != nil {
            responseDeadline = worker.coarseNow &+ (route?.responseTimeoutNanoseconds ?? 0)
        }
        if responseComplete { finish() }
    }

    /// A malformed request body (bad chunk, too large): answer if nothing was sent yet, else just close.
    func requestFailed(_ error: HTTP1ParseError) {
        abandonBackend()
        isActive = false
        if responseStarted {
            gatewayErrorType = "invalid_request"
            endSpans()
            frontend.close()
        } else {
            responseStatus = error.status
            let tracer = self.tracer
            let tracing = self.tracing
            frontend.respondWithError(status: error.status, close: true) { tracer.writeResponseTraceFields(into: &$0, tracing: tracing) }
            endSpans()
        }
    }

    /// The client stopped sending its body for longer than client_body_timeout.
    func clientBodyTimedOut() {
        abandonBackend()
        isActive = false
        if responseStarted {
            gatewayErrorType = "client_timeout"
            frontend.close()
        } else {
            responseStatus = 408
            frontend.respondWithError(status: 408, close: true)
        }
        endSpans()
    }

    // MARK: Response

    func backendDidConnect() {
        tracer.backendConnected()
    }

    /// The backend's final response head: forward it with hop-by-hop fields removed and the body re-framed.
    func responseHeadReceived(_ head: HTTP1ResponseHead) {
        guard isActive else { return }
        responseHeadReceived = true
        responseStatus = head.status
        tracer.backendResponded(head, tracing: tracing)
        responseDeadline = worker.coarseNow &+ (route?.responseTimeoutNanoseconds ?? 0)
        let bodyless = method == .head || head.status == 204 || head.status == 304 || head.status < 200
        let clientIsHTTP11 = frontend.parserVersionIsHTTP11
        if bodyless {
            clientFraming = .none
        } else {
            switch head.framing {
            case .none: clientFraming = .none
            case .contentLength: clientFraming = .contentLength
            case .chunked, .untilClose: clientFraming = clientIsHTTP11 ? .chunked : .untilClose
            }
        }
        if clientFraming == .untilClose || !requestKeepAlive || worker.isStopping { closeAfterResponse = true }
        // A request still being uploaded cannot be resynchronised after an early response.
        if !isRequestComplete && requestFraming != .none { closeAfterResponse = true }

        var buffer = worker.loop.bufferPool.take()
        HTTP1Serializer.writeStatusLine(status: head.status, reason: head.reason, version: .http1_1, into: &buffer)
        let hopByHop = HopByHopFields(head.fields, keepsUpgrade: false)
        for i in head.fields.indices where !hopByHop.contains(i) {
            // The body is re-framed: a chunked or close-delimited body loses any Content-Length (RFC 9112 §6.3
            // item 3) and a sized one gets a single one below; a bodiless response keeps its own (it describes GET).
            if head.framing != .none, head.fields.nameEquals(i, "content-length") { continue }
            HTTP1Serializer.writeField(head.fields, at: i, into: &buffer)
        }
        if case .contentLength(let length) = head.framing {
            HTTP1Serializer.writeContentLength(length, into: &buffer)
        }
        if clientFraming == .chunked { buffer.write("Transfer-Encoding: chunked\r\n") }
        if closeAfterResponse {
            buffer.write("Connection: close\r\n")
        } else if !clientIsHTTP11 {
            buffer.write("Connection: keep-alive\r\n")
        }
        tracer.writeResponseTraceFields(into: &buffer, tracing: tracing)
        HTTP1Serializer.writeHeadEnd(into: &buffer)
        responseStarted = true
        // Handed over: a body that follows in the same pass is copied into the head's free room.
        frontend.write(handingOver: buffer)
    }

    /// 101 Switching Protocols: forward it and relay bytes both ways from now on.
    func responseUpgraded(_ head: HTTP1ResponseHead) {
        guard isActive else { return }
        guard tunnelRequested, head.status == 101 else {
            abandonBackend()
            backendFailed(reason: "backend switched protocols without being asked", errorType: "invalid_response", receivedBytes: true)
            return
        }
        responseHeadReceived = true
        responseStarted = true
        responseStatus = 101
        isTunnel = true
        tracer.backendResponded(head, tracing: tracing)
        var buffer = worker.loop.bufferPool.take()
        HTTP1Serializer.writeStatusLine(status: 101, reason: head.reason, version: .http1_1, into: &buffer)
        let hopByHop = HopByHopFields(head.fields, keepsUpgrade: true)
        for i in head.fields.indices where !hopByHop.contains(i) {
            HTTP1Serializer.writeField(head.fields, at: i, into: &buffer)
        }
        buffer.write("Connection: Upgrade\r\n")
        tracer.writeResponseTraceFields(into: &buffer, tracing: tracing)
        HTTP1Serializer.writeHeadEnd(into: &buffer)
        frontend.write(buffer)
        frontend.flush()
        refreshTunnelDeadline()
        frontend.enterTunnel()
    }

    /// Response body bytes, framed for the client.
    func forwardResponseBody(_ bytes: UnsafeRawBufferPointer) {
        guard isActive, !bytes.isEmpty else { return }
        tracer.responseBody(bytes.count)
        responseDeadline = worker.coarseNow &+ (route?.responseTimeoutNanoseconds ?? 0)
        if clientFraming == .chunked {
            var buffer = worker.loop.bufferPool.take()
            HTTP1Serializer.writeChunkHeader(size: bytes.count, into: &buffer)
            buffer.writeBytes(bytes)
            HTTP1Serializer.writeChunkEnd(into: &buffer)
            frontend.write(buffer)
        } else {
            frontend.write(bytes: bytes)
        }
        if !frontend.isWritable { backend?.pauseReading() }
    }

    /// Response trailers: forwarded when the client gets a chunked body, dropped otherwise.
    func forwardResponseTrailers(_ fields: HTTP1Fields) {
        guard isActive, clientFraming == .chunked else { return }
        var buffer = worker.loop.bufferPool.take()
        HTTP1Serializer.writeLastChunk(trailers: fields, into: &buffer)
        frontend.write(buffer)
        clientFraming = .none
    }

    /// The response is complete: return the backend to its pool (or close it) and finish when the request is done too.
    func responseDidEnd(backendReusable: Bool) {
        guard isActive else { return }
        if clientFraming == .chunked {
            var buffer = worker.loop.bufferPool.take()
            HTTP1Serializer.writeLastChunk(into: &buffer)
            frontend.write(buffer)
        }
        responseComplete = true
        responseDeadline = 0
        let attemptEndNanoseconds = tracer.attemptEnded(errorType: nil, tracing: tracing)
        if let backend {
            self.backend = nil
            if backendReusable && isRequestComplete && !tunnelRequested {
                backend.pool.release(backend)
            } else {
                backend.close()
            }
        }
        if isRequestComplete {
            // The last response byte was just queued: the server span ends at the client span's reading.
            finish(spansEndAt: attemptEndNanoseconds)
        } else {
            isActive = false
            endSpans()
            frontend.closeAfterFlushing()
        }
    }

    /// The backend connection failed or sent garbage.
    func backendFailed(reason: String, errorType: String, receivedBytes: Bool, neverConnected: Bool = false) {
        guard isActive else { return }
        backend = nil
        if isTunnel {
            tunnelDidClose()
            return
        }
        tracer.attemptEnded(errorType: errorType, tracing: tracing)
        if !responseHeadReceived && !receivedBytes && attempts == 1 && requestBodyBytesSent == 0
            && (method.isIdempotent || neverConnected)
        {
            worker.statistics.backendRetries.add(1, ordering: .relaxed)
            worker.logger.info("retrying request on a fresh backend connection after: \(reason)")
            sendRequestHead(freshConnection: true, flushNow: true)
            return
        }
        worker.logger.error("\(reason)")
        if responseStarted {
            isActive = false
            gatewayErrorType = errorType
            endSpans()
            frontend.close()
        } else {
            respondLocally(status: 502, errorType: errorType)
        }
    }

    // MARK: Batched flushing

    /// A client read was processed: send what it produced for the backend in one write.
    func frontendReadDidFinish() {
        backend?.flush()
    }

    /// A backend read was processed: send what it produced for the client in one write.
    func backendReadDidFinish() {
        frontend.flush()
    }

    // MARK: Tunnel

    func relayToBackend(_ bytes: UnsafeRawBufferPointer) {
        guard let backend else { return }
        backend.write(bytes: bytes)
        backend.flush()
        refreshTunnelDeadline()
        if !backend.isWritable { frontend.pauseReading(.backendBusy) }
    }

    func relayToFrontend(_ bytes: UnsafeRawBufferPointer) {
        frontend.write(bytes: bytes)
        frontend.flush()
        refreshTunnelDeadline()
        if !frontend.isWritable { backend?.pauseReading() }
    }

    private func refreshTunnelDeadline() {
        responseDeadline = worker.coarseNow &+ (route?.tunnelIdleTimeoutNanoseconds ?? worker.limits.tunnelIdleTimeout.nanoseconds)
    }

    /// The client half-closed.
    func frontendDidHalfClose() {
        frontendHalfClosed = true
        if isTunnel {
            backend?.shutdownOutput()
            if backendHalfClosed { tunnelDidClose() }
        } else {
            closeAfterResponse = true
        }
    }

    /// The backend half-closed a tunnel.
    func backendDidHalfClose() {
        backendHalfClosed = true
        frontend.shutdownOutput()
        if frontendHalfClosed { tunnelDidClose() }
    }

    /// One side of a tunnel is gone: close both after flushing.
    func tunnelDidClose() {
        guard isActive else { return }
        isActive = false
        backend?.close()
        backend = nil
        worker.statistics.requestsCompleted.add(1, ordering: .relaxed)
        endSpans()
        frontend.closeAfterFlushing()
    }

    // MARK: Backpressure

    func frontendBecameWritable() {
        // Backend reads were paused for the client (see checkDeadline): the backend's response time restarts now.
        if isActive, responseHeadReceived, !isTunnel {
            responseDeadline = worker.coarseNow &+ (route?.responseTimeoutNanoseconds ?? 0)
        }
        backend?.resumeReading()
    }
    func frontendBecameBusy() { backend?.pauseReading() }
    func backendBecameWritable() { frontend.resumeReading(.backendBusy) }
    func backendBecameBusy() { frontend.pauseReading(.backendBusy) }

    // MARK: Endings

    /// Checks the response (or tunnel idle) deadline.
    func checkDeadline(now: UInt64) {
        guard isActive, responseDeadline != 0, now > responseDeadline else { return }
        if isTunnel {
            worker.logger.info("tunnel idle longer than tunnel_idle_timeout; closing")
            tunnelDidClose()
        } else if !responseHeadReceived {
            worker.logger.error("backend \(backendAddress.map { "\($0)" } ?? "-") did not respond within response_timeout")
            abandonBackend()
            respondLocally(status: 504, errorType: "timeout")
        } else if !frontend.isWritable {
            // Backend reads are paused because the client is not taking our writes: that wait is send_timeout's.
            responseDeadline = now &+ (route?.responseTimeoutNanoseconds ?? 0)
        } else {
            worker.logger.error("backend \(backendAddress.map { "\($0)" } ?? "-") stalled mid-response; closing")
            abandonBackend()
            isActive = false
            gatewayErrorType = "timeout"
            endSpans()
            frontend.close()
        }
    }

    /// The gateway answers by itself (404, 405, 502, 503, 504).
    private func respondLocally(status: Int, errorType: String) {
        if backend != nil { tracer.attemptEnded(errorType: errorType, tracing: tracing) }
        abandonBackend()
        responseStarted = true
        responseComplete = true
        responseStatus = status
        if status >= 500 { gatewayErrorType = errorType }
        // With a request body still to come the connection cannot be reused.
        let close = (requestFraming != .none && !isRequestComplete) || !requestKeepAlive || worker.isStopping || closeAfterResponse
        let tracer = self.tracer
        let tracing = self.tracing
        frontend.respondWithError(status: status, close: close) { tracer.writeResponseTraceFields(into: &$0, tracing: tracing) }
        if close {
            isActive = false
            endSpans()
        } else if isRequestComplete {
            finish()
        }
    }

    private func abandonBackend() {
        backend?.close()
        backend = nil
    }

    /// The client went away or the exchange must stop: drop the backend connection.
    func abort(reason: String) {
        guard isActive else { return }
        isActive = false
        abandonBackend()
        if gatewayErrorType == nil { gatewayErrorType = responseStarted ? "response_aborted" : "client_closed" }
        endSpans()
    }

    /// Completes the exchange; `spansEndAt` is a clock reading taken just now, or 0 to read the clock.
    private func finish(spansEndAt endNanoseconds: UInt64 = 0) {
        isActive = false
        worker.statistics.requestsCompleted.add(1, ordering: .relaxed)
        endSpans(at: endNanoseconds)
        // Let go of this request's bytes: the target slice pins the client parser's head storage (which would
        // otherwise be reallocated by the next request) and the head buffer goes back to the loop's pool.
        backendTarget = ArraySlice()
        releaseRequestHead()
        frontend.exchangeDidComplete(keepAlive: !closeAfterResponse && requestKeepAlive)
    }

    /// Returns the serialized request head to the loop's pool (kept until now for retries; the pool takes it only
    /// once the backend connection's write queue has let go of it).
    private func releaseRequestHead() {
        var released = ByteBuffer()
        swap(&released, &requestHead)
        worker.requestHeadPool.recycle(released)
    }

    /// Ends the exchange's spans (after the response's last byte was handed to the socket).
    private func endSpans(at endNanoseconds: UInt64 = 0) {
        tracer.end(status: responseStatus, errorType: gatewayErrorType, tracing: tracing, at: endNanoseconds)
    }
}

extension HTTP1Method {
    /// Idempotent methods (RFC 9110 §9.2.2) may be retried after a connection failure.
    var isIdempotent: Bool {
        switch self {
        case .get, .head, .put, .delete, .options, .trace: return true
        default: return false
        }
    }
}

extension ArraySlice where Element == UInt8 {
    /// Compares with an ASCII string, ignoring case.
    func elementsEqualIgnoringASCIICase(_ text: String) -> Bool {
        guard count == text.utf8.count else { return false }
        for (a, b) in zip(self, text.utf8) where a | 0x20 != b | 0x20 { return false }
        return true
    }
}
