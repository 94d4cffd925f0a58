import HTTP1
import NetIO
import TraceCore

/// Sets the OpenTelemetry HTTP semantic-convention attributes on server and client spans.
///
/// Values are copied straight from the request's bytes into the span's attribute arena: no `String` is built per
/// request (keys are literals, stored as pointers).
enum HTTPSpanAttributes {
    /// The semantic-convention method name, or nil for a method the conventions do not know (`_OTHER`).
    static func semanticMethod(_ method: HTTP1Method) -> String? {
        method.isStandard ? method.name : nil
    }

    /// Sets the request attributes of the server span in `state`.
    static func recordServerRequest(
        _ state: inout ExchangeTraceState, head: HTTP1RequestHead, pathAndQuery: ArraySlice<UInt8>, route: ResolvedRoute?,
        frontend: FrontendConnection, tracing: WorkerTracing
    ) {
        if let name = semanticMethod(head.method) {
            state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.httpRequestMethod, name)
        } else {
            state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.httpRequestMethod, "_OTHER")
            state.serverSpan.setAttribute(
                uniqueKey: SemanticAttributes.httpRequestMethodOriginal, head.method.name)
        }
        let queryStart = pathAndQuery.firstIndex(of: UInt8(ascii: "?"))
        state.serverSpan.setAttribute(
            uniqueKey: SemanticAttributes.urlPath, bytes: pathAndQuery[..<(queryStart ?? pathAndQuery.endIndex)])
        if tracing.recordURLQuery, let queryStart {
            state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.urlQuery, bytes: pathAndQuery[(queryStart + 1)...])
        }
        state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.urlScheme, "http")
        if let route {
            state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.httpRoute, route.route.template.routeName)
        }
        if let authority = head.authority, !authority.isEmpty {
            let (host, port) = splitAuthority(authority)
            state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.serverAddress, bytes: host)
            state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.serverPort, Int64(port ?? 80))
        }
        if let peer = frontend.peer {
            let peerPort = AttributeValue.int(Int64(peer.port))
            frontend.peerHostBytes.withUnsafeBytes { peerHost in
                state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.networkPeerAddress, utf8: peerHost)
                state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.networkPeerPort, peerPort)
                if tracing.hasTrustedProxies,
                   let forwarded = ClientAddressResolver.clientAddress(
                       peer: peer, fields: head.fields, trusted: tracing.options.trustedProxies)
                {
                    state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.clientAddress, forwarded)
                } else {
                    state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.clientAddress, utf8: peerHost)
                    state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.clientPort, peerPort)
                }
            }
        }
        state.serverSpan.setAttribute(
            uniqueKey: SemanticAttributes.networkProtocolVersion, head.version == .http1_1 ? "1.1" : "1.0")
        if let agent = head.fields.firstValue(named: "user-agent" as StaticString) {
            state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.userAgentOriginal, bytes: agent)
        }
        if tracing.capturesRequestHeaders {
            captureHeaders(
                &state.serverSpan, fields: head.fields, names: tracing.options.captureRequestHeaders,
                prefix: "http.request.header.")
        }
    }

    /// Sets the request attributes of the client span in `state` from the backend's prepared bytes.
    static func recordClientRequest(
        _ state: inout ExchangeTraceState, method: HTTP1Method, backend: BackendSpanStrings,
        pathAndQuery: ArraySlice<UInt8>, resendCount: Int
    ) {
        if let name = semanticMethod(method) {
            state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.httpRequestMethod, name)
        } else {
            state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.httpRequestMethod, "_OTHER")
            state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.httpRequestMethodOriginal, method.name)
        }
        // url.full = the backend's `http://authority` + the request target, copied straight into the span.
        backend.urlPrefix.withUnsafeBytes { prefix in
            pathAndQuery.withUnsafeBytes { target in
                state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.urlFull, utf8: prefix, followedBy: target)
            }
        }
        backend.serverAddress.withUnsafeBytes {
            state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.serverAddress, utf8: $0)
        }
        state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.serverPort, backend.serverPort)
        backend.peerAddress.withUnsafeBytes {
            state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.networkPeerAddress, utf8: $0)
        }
        state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.networkPeerPort, backend.peerPort)
        state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.networkProtocolVersion, "1.1")
        if resendCount > 0 {
            state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.httpRequestResendCount, Int64(resendCount))
        }
    }

    /// Records each listed header as a string array `<prefix><name>` (names already exclude redacted ones).
    static func captureHeaders(_ span: inout RecordingSpan, fields: HTTP1Fields, names: [String], prefix: String) {
        for name in names {
            var values: [String] = []
            for i in fields.indices where fields.nameEquals(i, name) {
                values.append(String(decoding: fields[i].value, as: UTF8.self))
            }
            if !values.isEmpty { span.setAttribute(prefix + name, .stringArray(values)) }
        }
    }

    /// Splits `host[:port]` / `[v6]:port` into the host's bytes (without brackets) and the port, if any.
    static func splitAuthority(_ authority: ArraySlice<UInt8>) -> (host: ArraySlice<UInt8>, port: Int?) {
        if authority.first == UInt8(ascii: "["), let close = authority.firstIndex(of: UInt8(ascii: "]")) {
            let host = authority[(authority.startIndex + 1)..<close]
            let rest = authority[(close + 1)...]
            if rest.first == UInt8(ascii: ":") { return (host, parsePort(rest.dropFirst())) }
            return (host, nil)
        }
        if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            return (authority[..<colon], parsePort(authority[(colon + 1)...]))
        }
        return (authority, nil)
    }

    /// A decimal port of 1–5 digits, nil otherwise.
    static func parsePort(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count <= 5 else { return nil }
        var port = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            port = port * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return port
    }
}

extension RecordingSpan {
    /// Sets a string attribute from bytes of a parsed message (copied once into the span).
    @inline(__always)
    mutating func setAttribute(uniqueKey key: AttributeKey, bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { setAttribute(uniqueKey: key, utf8: $0) }
    }

    /// Sets a string attribute from bytes of a parsed message, replacing an existing value of `key`.
    @inline(__always)
    mutating func setAttribute(_ key: AttributeKey, bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { setAttribute(key, utf8: $0) }
    }
}

/// Span names per route, built once per route table: `{method} {route}` for each known method.
struct RouteSpanNames: Sendable {
    private let names: [String]

    init(template: String) {
        names = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"].map { "\($0) \(template)" }
    }

    /// The name for a known method; nil for `_OTHER` (named `HTTP`).
    func name(for method: HTTP1Method) -> String? {
        switch method {
        case .get: return names[0]
        case .head: return names[1]
        case .post: return names[2]
        case .put: return names[3]
        case .delete: return names[4]
        case .connect: return names[5]
        case .options: return names[6]
        case .trace: return names[7]
        case .patch: return names[8]
        case .other: return nil
        }
    }
}
