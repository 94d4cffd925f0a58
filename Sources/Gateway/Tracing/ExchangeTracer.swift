import HTTP1
import IOCore
import NetIO
import TraceCore

/// Starts, annotates and ends the spans of one exchange: a SERVER span for the request and a CLIENT span per
/// backend attempt, with OpenTelemetry HTTP semantic-convention attributes.
///
/// One tracer per client connection, reused for every request; touched only on the worker's loop. Its mutable state
/// lives in one `ExchangeTraceState` behind a pointer: spans are mutated in place there, so setting an attribute
/// costs no dynamic exclusivity check (`swift_beginAccess`), which a stored property of a class would.
///
/// A struct holding only that pointer, stored inline in its `Exchange`: reaching the state from the exchange is one
/// load, not two (a tracer object in between cost a cache miss of its own when a response came back to a
/// connection idle since its request). The exchange owns the state and frees it (`release()`) in its `deinit`.
struct ExchangeTracer {
    /// Allocated in `init`, freed by `release()`; only the owning exchange (on the worker's loop) ever touches it.
    private let state: UnsafeMutablePointer<ExchangeTraceState>

    init() {
        state = .allocate(capacity: 1)
        state.initialize(to: ExchangeTraceState())
    }

    /// Frees the state (the owning exchange's `deinit`); the tracer must not be used afterwards.
    func release() {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// A server span was started for the current request.
    var isTracing: Bool { state.pointee.isTracing }

    // MARK: Request

    /// Starts the server span for a request that matched `route` (nil when nothing matched).
    func begin(
        _ head: HTTP1RequestHead, pathAndQuery: ArraySlice<UInt8>, route: ResolvedRoute?,
        frontend: FrontendConnection, tracing: WorkerTracing
    ) {
        state.pointee.isTracing = false
        state.pointee.clientSpanOpen = false
        state.pointee.requestBodySize = 0
        state.pointee.responseBodySize = 0
        state.pointee.firstByteRecorded = false
        state.pointee.attemptStartNanos = 0
        state.pointee.attempt = 0
        state.pointee.hasCustomAttributes = false
        state.pointee.hasContextFields = false
        guard route?.route.tracing.enabled ?? true else { return }
        state.pointee.isTracing = true
        let propagation = route?.route.tracing.propagation ?? .propagate
        state.pointee.injects = propagation.injects
        state.pointee.sendsResponseHeader = route?.route.tracing.responseTraceHeader ?? tracing.responseTraceHeader

        // Parent: the caller's context when extracted and trusted; otherwise a new trace (with the caller as a link).
        var parent: SpanContext?
        var links: [SpanLink] = []
        let hasContextFields = (propagation.extracts || propagation.injects) && tracing.carriesTraceContext(head.fields)
        state.pointee.hasContextFields = hasContextFields
        if propagation.extracts, hasContextFields {
            let extracted = tracing.pipeline.propagator.extract(from: HTTP1FieldsCarrier(fields: head.fields))
            if let context = extracted.spanContext, context.isValid {
                if route?.route.tracing.trustIncoming ?? tracing.trustIncomingTrace {
                    parent = context
                } else {
                    links.append(SpanLink(context: context))
                }
            }
        }
        let sampler = route?.route.tracing.samplingRatio.map { ConfiguredSampler.parentBased(rate: $0) } ?? tracing.pipeline.sampler

        let name: String
        if let spanName = route?.route.tracing.spanName {
            name = spanName
        } else if let spanNames = route?.spanNames, let known = spanNames.name(for: head.method) {
            name = known
        } else {
            name = HTTPSpanAttributes.semanticMethod(head.method) ?? "HTTP"
        }
        // Up to 18 attributes are set on a server span (more only with route extras, captures or header capture).
        // Started at the arrival of the request's bytes (the loop pass's clock reading, shared by the pass).
        state.pointee.serverSpan = tracing.factory.startSpan(
            name, kind: .server, parent: parent, attributeCapacity: 20, links: links, sampler: sampler,
            at: tracing.arrivalNanoseconds)
        guard state.pointee.serverSpan.isRecording else { return }
        HTTPSpanAttributes.recordServerRequest(
            &state.pointee, head: head, pathAndQuery: pathAndQuery, route: route, frontend: frontend, tracing: tracing)
        if let extras = route?.route.tracing.attributes, !extras.isEmpty {
            state.pointee.hasCustomAttributes = true
            for extra in extras {
                switch extra {
                case .constant(let key, let value):
                    state.pointee.serverSpan.setAttribute(key, .string(value))
                case .requestHeader(let key, let header):
                    if let value = head.fields.firstValue(named: header) {
                        state.pointee.serverSpan.setAttribute(key, .string(String(decoding: value, as: UTF8.self)))
                    }
                }
            }
        }
    }

    /// Records route template captures (`job.id`) on the server span.
    func recordCapture(_ name: String, _ value: UnsafeRawBufferPointer) {
        guard state.pointee.isTracing, state.pointee.serverSpan.isRecording else { return }
        state.pointee.hasCustomAttributes = true
        state.pointee.serverSpan.setAttribute(name, .string(String(decoding: value, as: UTF8.self)))
    }

    /// Whether the incoming field at `index` is replaced by our injected context.
    func isReplacedField(_ fields: HTTP1Fields, _ index: Int, tracing: WorkerTracing?) -> Bool {
        guard state.pointee.hasContextFields, state.pointee.isTracing, state.pointee.injects, let tracing else { return false }
        for name in tracing.replacedFields where fields.nameEquals(index, name) { return true }
        return false
    }

    // MARK: Backend attempts

    /// A backend attempt starts: opens the CLIENT span (when enabled) and writes the trace headers of this attempt.
    func attemptStarted(
        attempt: Int, method: HTTP1Method, backend: BackendSpanStrings,
        pathAndQuery: ArraySlice<UInt8>, reusedConnection: Bool, tracing: WorkerTracing?, into buffer: inout ByteBuffer
    ) {
        guard state.pointee.isTracing, let tracing else { return }
        state.pointee.attempt = attempt
        // The attempt is sent in the pass that received the request (or a connect completion): its clock reading.
        let now = tracing.arrivalNanoseconds
        state.pointee.attemptStartNanos = now
        state.pointee.firstByteRecorded = false
        var injected = state.pointee.serverSpan.context
        if tracing.clientSpans, injected.isValid {
            state.pointee.clientSpan = tracing.factory.startSpan(
                HTTPSpanAttributes.semanticMethod(method) ?? "HTTP", kind: .client, parent: injected,
                attributeCapacity: 10, sampler: .parentBasedAlwaysOn, at: now)
            state.pointee.clientSpanOpen = true
            injected = state.pointee.clientSpan.context
            if state.pointee.clientSpan.isRecording {
                HTTPSpanAttributes.recordClientRequest(
                    &state.pointee, method: method, backend: backend, pathAndQuery: pathAndQuery, resendCount: attempt - 1)
            }
        }
        if state.pointee.serverSpan.isRecording {
            // `set`, not a unique-key append: a retried attempt records it again.
            state.pointee.serverSpan.setAttribute(
                GatewayAttributes.backendAddress, .string(backend.addressDescription), keyIsNew: firstAttemptKeysAreNew)
        }
        if state.pointee.injects, injected.isValid {
            withUnsafeMutablePointer(to: &buffer) { pointer in
                var injector = ByteBufferInjector(buffer: pointer)
                tracing.pipeline.propagator.inject(injected, baggage: nil, into: &injector)
            }
        }
    }

    /// Whether keys set once per attempt cannot be on the server span yet: the first attempt, and no user-chosen
    /// attribute (route extras, captures) that might use the same key.
    private var firstAttemptKeysAreNew: Bool {
        state.pointee.attempt <= 1 && !state.pointee.hasCustomAttributes
    }

    /// The TCP connection to the backend is up (new connections only).
    func backendConnected() {
        guard state.pointee.isTracing, state.pointee.serverSpan.isRecording, state.pointee.attemptStartNanos != 0 else { return }
        let seconds = Double(MonotonicClock.nowNanoseconds() &- state.pointee.attemptStartNanos) / 1e9
        state.pointee.serverSpan.setAttribute(GatewayAttributes.backendConnectDuration, .double(seconds))
    }

    /// The backend's response head arrived.
    func backendResponded(_ head: HTTP1ResponseHead, tracing: WorkerTracing?) {
        guard state.pointee.isTracing else { return }
        if !state.pointee.firstByteRecorded, state.pointee.serverSpan.isRecording, state.pointee.attemptStartNanos != 0 {
            state.pointee.firstByteRecorded = true
            // Arrival of the response's first bytes: the pass's clock reading.
            let arrival = tracing?.arrivalNanoseconds ?? MonotonicClock.nowNanoseconds()
            let seconds = Double(arrival &- state.pointee.attemptStartNanos) / 1e9
            state.pointee.serverSpan.setAttribute(
                GatewayAttributes.backendTimeToFirstByte, .double(seconds), keyIsNew: firstAttemptKeysAreNew)
        }
        if state.pointee.clientSpanOpen, state.pointee.clientSpan.isRecording {
            state.pointee.clientSpan.setAttribute(
                uniqueKey: SemanticAttributes.httpResponseStatusCode, Int64(head.status))
            if head.status >= 400 {
                state.pointee.clientSpan.setAttribute(SemanticAttributes.errorType, .string(String(head.status)))
                state.pointee.clientSpan.setStatus(.error(description: ""))
            }
        }
        if let tracing, state.pointee.serverSpan.isRecording, tracing.capturesResponseHeaders {
            HTTPSpanAttributes.captureHeaders(
                &state.pointee.serverSpan, fields: head.fields, names: tracing.options.captureResponseHeaders,
                prefix: "http.response.header.")
        }
    }

    /// The current attempt ended: successfully, or with `errorType`.
    ///
    /// - Returns: the clock reading the client span ended at, or 0 when no span was open; a server span ending right
    ///   after (a response complete with its request) can end at the same reading instead of reading the clock again.
    @discardableResult
    func attemptEnded(errorType: String?, tracing: WorkerTracing?) -> UInt64 {
        guard state.pointee.clientSpanOpen, let tracing else { return 0 }
        let now = MonotonicClock.nowNanoseconds()
        endAttempt(errorType: errorType, tracing: tracing, at: now)
        return now
    }

    private func endAttempt(errorType: String?, tracing: WorkerTracing, at now: UInt64) {
        state.pointee.clientSpanOpen = false
        if let errorType, state.pointee.clientSpan.isRecording {
            state.pointee.clientSpan.setAttribute(SemanticAttributes.errorType, .string(errorType))
            state.pointee.clientSpan.setStatus(.error(description: errorType))
        }
        tracing.factory.end(&state.pointee.clientSpan, at: now)
    }

    // MARK: Response

    /// Writes `Server-Timing: trace;desc=…` (and optionally `traceresponse`) into a response head.
    func writeResponseTraceFields(into buffer: inout ByteBuffer, tracing: WorkerTracing?) {
        guard state.pointee.isTracing, state.pointee.sendsResponseHeader, let tracing,
              state.pointee.serverSpan.context.isValid else { return }
        let context = state.pointee.serverSpan.context
        let traceresponse = tracing.traceresponseHeader
        let prefix: StaticString = "Server-Timing: trace;desc="
        let secondName: StaticString = "traceresponse: "
        // The value is the context in `traceparent` form; one reservation for the field line(s), the value written
        // in place (no temporary to copy).
        let valueLength = TraceContextPropagator.traceparentLength
        let lineLength = prefix.utf8CodeUnitCount + valueLength + 2
        let count = traceresponse ? lineLength + secondName.utf8CodeUnitCount + valueLength + 2 : lineLength
        buffer.writeReserved(count) { room in
            var cursor = HTTP1ByteCursor(room)
            cursor.put(prefix)
            let value = UnsafeMutableRawBufferPointer(start: cursor.position, count: valueLength)
            cursor.position += TraceContextPropagator.writeTraceparent(context, into: value)
            cursor.put("\r\n")
            if traceresponse {
                cursor.put(secondName)
                cursor.put(UnsafeRawBufferPointer(value))
                cursor.put("\r\n")
            }
        }
    }

    func requestBody(_ count: Int) { state.pointee.requestBodySize &+= count }
    func responseBody(_ count: Int) { state.pointee.responseBodySize &+= count }

    /// Ends the server span (after the response's last byte was handed to the socket).
    ///
    /// - Parameters:
    ///   - status: the status sent to the client (0 when none was sent).
    ///   - errorType: why the gateway failed the request, if it did.
    ///   - endNanoseconds: a clock reading taken just now by the caller (see `attemptEnded`), or 0 to read the clock.
    func end(status: Int, errorType: String?, tracing: WorkerTracing?, at endNanoseconds: UInt64 = 0) {
        guard state.pointee.isTracing, let tracing else { return }
        state.pointee.isTracing = false
        let now = endNanoseconds != 0 ? endNanoseconds : MonotonicClock.nowNanoseconds()
        if state.pointee.clientSpanOpen { endAttempt(errorType: errorType ?? "aborted", tracing: tracing, at: now) }
        if state.pointee.serverSpan.isRecording {
            // These keys are set only here, so they skip the duplicate scan, unless a route's own attributes or
            // captures (any key a user configured) may already hold them.
            let unique = !state.pointee.hasCustomAttributes
            if status > 0 {
                state.pointee.serverSpan.setAttribute(
                    SemanticAttributes.httpResponseStatusCode, .int(Int64(status)), keyIsNew: unique)
            }
            state.pointee.serverSpan.setAttribute(
                SemanticAttributes.httpRequestBodySize, .int(Int64(state.pointee.requestBodySize)), keyIsNew: unique)
            state.pointee.serverSpan.setAttribute(
                SemanticAttributes.httpResponseBodySize, .int(Int64(state.pointee.responseBodySize)), keyIsNew: unique)
            if let errorType {
                state.pointee.serverSpan.setAttribute(SemanticAttributes.errorType, .string(errorType))
                state.pointee.serverSpan.setStatus(.error(description: errorType))
            } else if status >= 500 {
                state.pointee.serverSpan.setAttribute(SemanticAttributes.errorType, .string(String(status)))
                state.pointee.serverSpan.setStatus(.error(description: ""))
            }
        }
        tracing.factory.end(&state.pointee.serverSpan, at: now)
    }
}
