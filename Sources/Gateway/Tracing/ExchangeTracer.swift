import HTTP1
import IOCore
import NetIO
import TraceCore

/// Starts, annotates and ends the spans of one exchange: a SERVER span for the request and a CLIENT span per
/// backend attempt, with OpenTelemetry HTTP semantic-convention attributes.
///
/// One tracer per client connection, reused for every request; touched only on the worker's loop.
final class ExchangeTracer {
    private var serverSpan = RecordingSpan.nonRecording(context: .invalid)
    private var clientSpan = RecordingSpan.nonRecording(context: .invalid)
    /// A server span was started for the current request.
    private(set) var isTracing = false
    private var clientSpanOpen = false
    private var injects = false
    private var sendsResponseHeader = false
    private var requestBodySize = 0
    private var responseBodySize = 0
    private var attemptStartNanos: UInt64 = 0
    private var firstByteRecorded = false
    private var requestMethod: HTTP1Method = .get

    // MARK: Request

    /// Starts the server span for a request that matched `route` (nil when nothing matched).
    func begin(
        _ head: HTTP1RequestHead, pathAndQuery: ArraySlice<UInt8>, route: Route?, spanNames: RouteSpanNames?,
        frontend: FrontendConnection, tracing: WorkerTracing
    ) {
        isTracing = false
        clientSpanOpen = false
        requestBodySize = 0
        responseBodySize = 0
        firstByteRecorded = false
        requestMethod = head.method
        let routeTracing = route?.tracing ?? .default
        guard routeTracing.enabled else { return }
        isTracing = true
        let options = tracing.options
        injects = routeTracing.propagation.injects
        sendsResponseHeader = routeTracing.responseTraceHeader ?? options.responseTraceHeader

        // Parent: the caller's context when extracted and trusted; otherwise a new trace (with the caller as a link).
        var parent: SpanContext?
        var links: [SpanLink] = []
        if routeTracing.propagation.extracts {
            let extracted = tracing.pipeline.propagator.extract(from: HTTP1FieldsCarrier(fields: head.fields))
            if let context = extracted.spanContext, context.isValid {
                if routeTracing.trustIncoming ?? options.trustIncomingTrace {
                    parent = context
                } else {
                    links.append(SpanLink(context: context))
                }
            }
        }
        let sampler = routeTracing.samplingRatio.map { ConfiguredSampler.parentBased(rate: $0) } ?? tracing.pipeline.sampler

        let methodName = HTTPSpanAttributes.semanticMethod(head.method)
        let name: String
        if let spanName = routeTracing.spanName {
            name = spanName
        } else if let spanNames, let known = spanNames.name(for: head.method) {
            name = known
        } else {
            name = methodName ?? "HTTP"
        }
        serverSpan = tracing.factory.startSpan(name, kind: .server, parent: parent, links: links, sampler: sampler)
        guard serverSpan.isRecording else { return }
        HTTPSpanAttributes.recordServerRequest(
            &serverSpan, head: head, pathAndQuery: pathAndQuery, route: route, frontend: frontend, options: options)
        for extra in routeTracing.attributes {
            switch extra {
            case .constant(let key, let value):
                serverSpan.setAttribute(key, .string(value))
            case .requestHeader(let key, let header):
                if let value = head.fields.firstValue(named: header) {
                    serverSpan.setAttribute(key, .string(String(decoding: value, as: UTF8.self)))
                }
            }
        }
    }

    /// Records route template captures (`job.id`) on the server span.
    func recordCapture(_ name: String, _ value: UnsafeRawBufferPointer) {
        guard isTracing, serverSpan.isRecording else { return }
        serverSpan.setAttribute(name, .string(String(decoding: value, as: UTF8.self)))
    }

    /// Whether the incoming field at `index` is replaced by our injected context.
    func isReplacedField(_ fields: HTTP1Fields, _ index: Int, tracing: WorkerTracing?) -> Bool {
        guard isTracing, injects, let tracing else { return false }
        for name in tracing.replacedFields where fields.nameEquals(index, name) { return true }
        return false
    }

    // MARK: Backend attempts

    /// A backend attempt starts: opens the CLIENT span (when enabled) and writes the trace headers of this attempt.
    func attemptStarted(
        attempt: Int, method: HTTP1Method, upstream: ServiceEndpoint, address: SocketAddress,
        pathAndQuery: ArraySlice<UInt8>, reusedConnection: Bool, tracing: WorkerTracing?, into buffer: inout ByteBuffer
    ) {
        guard isTracing, let tracing else { return }
        attemptStartNanos = MonotonicClock.nanoseconds()
        firstByteRecorded = false
        var injected = serverSpan.context
        if tracing.options.clientSpans, serverSpan.context.isValid {
            let methodName = HTTPSpanAttributes.semanticMethod(method)
            clientSpan = tracing.factory.startSpan(
                methodName ?? "HTTP", kind: .client, parent: serverSpan.context, sampler: .parentBasedAlwaysOn)
            clientSpanOpen = true
            injected = clientSpan.context
            if clientSpan.isRecording {
                HTTPSpanAttributes.recordClientRequest(
                    &clientSpan, method: method, upstream: upstream, address: address, pathAndQuery: pathAndQuery,
                    resendCount: attempt - 1)
            }
        }
        if serverSpan.isRecording {
            serverSpan.setAttribute("tracegw.backend.address", .string(address.description))
        }
        if injects, injected.isValid {
            withUnsafeMutablePointer(to: &buffer) { pointer in
                var injector = ByteBufferInjector(buffer: pointer)
                tracing.pipeline.propagator.inject(injected, baggage: nil, into: &injector)
            }
        }
    }

    /// The TCP connection to the backend is up (new connections only).
    func backendConnected() {
        guard isTracing, serverSpan.isRecording, attemptStartNanos != 0 else { return }
        let seconds = Double(MonotonicClock.nanoseconds() &- attemptStartNanos) / 1e9
        serverSpan.setAttribute("tracegw.backend.connect_duration", .double(seconds))
    }

    /// The backend's response head arrived.
    func backendResponded(_ head: HTTP1ResponseHead, tracing: WorkerTracing?) {
        guard isTracing else { return }
        if !firstByteRecorded, serverSpan.isRecording, attemptStartNanos != 0 {
            firstByteRecorded = true
            let seconds = Double(MonotonicClock.nanoseconds() &- attemptStartNanos) / 1e9
            serverSpan.setAttribute("tracegw.backend.time_to_first_byte", .double(seconds))
        }
        if clientSpanOpen, clientSpan.isRecording {
            clientSpan.setAttribute(SemanticAttributes.httpResponseStatusCode, .int(Int64(head.status)))
            if head.status >= 400 {
                clientSpan.setAttribute(SemanticAttributes.errorType, .string(String(head.status)))
                clientSpan.setStatus(.error(description: ""))
            }
        }
        if let tracing, serverSpan.isRecording {
            HTTPSpanAttributes.captureHeaders(
                &serverSpan, fields: head.fields, names: tracing.options.captureResponseHeaders, prefix: "http.response.header.")
        }
    }

    /// The current attempt ended: successfully, or with `errorType`.
    func attemptEnded(errorType: String?, tracing: WorkerTracing?) {
        guard clientSpanOpen, let tracing else { return }
        clientSpanOpen = false
        if let errorType, clientSpan.isRecording {
            clientSpan.setAttribute(SemanticAttributes.errorType, .string(errorType))
            clientSpan.setStatus(.error(description: errorType))
        }
        tracing.factory.end(&clientSpan)
    }

    // MARK: Response

    /// Writes `Server-Timing: trace;desc=…` (and optionally `traceresponse`) into a response head.
    func writeResponseTraceFields(into buffer: inout ByteBuffer, tracing: WorkerTracing?) {
        guard isTracing, sendsResponseHeader, let tracing, serverSpan.context.isValid else { return }
        let context = serverSpan.context
        withUnsafeTemporaryAllocation(byteCount: 55, alignment: 1) { raw in
            let value = UnsafeMutableRawBufferPointer(raw)
            value[0] = UInt8(ascii: "0")
            value[1] = UInt8(ascii: "0")
            value[2] = UInt8(ascii: "-")
            context.traceID.writeHex(into: UnsafeMutableRawBufferPointer(rebasing: value[3..<35]))
            value[35] = UInt8(ascii: "-")
            context.spanID.writeHex(into: UnsafeMutableRawBufferPointer(rebasing: value[36..<52]))
            value[52] = UInt8(ascii: "-")
            let flags = context.traceFlags.rawValue & 0x03
            value[53] = UInt8(ascii: "0")
            value[54] = UInt8(ascii: "0") &+ flags
            buffer.write("Server-Timing: trace;desc=")
            buffer.writeBytes(UnsafeRawBufferPointer(value))
            buffer.write("\r\n")
            if tracing.options.traceresponseHeader {
                buffer.write("traceresponse: ")
                buffer.writeBytes(UnsafeRawBufferPointer(value))
                buffer.write("\r\n")
            }
        }
    }

    func requestBody(_ count: Int) { requestBodySize &+= count }
    func responseBody(_ count: Int) { responseBodySize &+= count }

    /// Ends the server span (after the response's last byte was handed to the socket).
    ///
    /// - Parameters:
    ///   - status: the status sent to the client (0 when none was sent).
    ///   - errorType: why the gateway failed the request, if it did.
    func end(status: Int, errorType: String?, tracing: WorkerTracing?) {
        guard isTracing, let tracing else { return }
        isTracing = false
        if clientSpanOpen { attemptEnded(errorType: errorType ?? "aborted", tracing: tracing) }
        if serverSpan.isRecording {
            if status > 0 {
                serverSpan.setAttribute(SemanticAttributes.httpResponseStatusCode, .int(Int64(status)))
            }
            serverSpan.setAttribute(SemanticAttributes.httpRequestBodySize, .int(Int64(requestBodySize)))
            serverSpan.setAttribute(SemanticAttributes.httpResponseBodySize, .int(Int64(responseBodySize)))
            if let errorType {
                serverSpan.setAttribute(SemanticAttributes.errorType, .string(errorType))
                serverSpan.setStatus(.error(description: errorType))
            } else if status >= 500 {
                serverSpan.setAttribute(SemanticAttributes.errorType, .string(String(status)))
                serverSpan.setStatus(.error(description: ""))
            }
        }
        tracing.factory.end(&serverSpan)
    }
}
