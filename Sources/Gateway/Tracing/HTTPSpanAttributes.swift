import HTTP1
import NetIO
import TraceCore

/// Sets the OpenTelemetry HTTP semantic-convention attributes on server and client spans.
enum HTTPSpanAttributes {
    /// The semantic-convention method name, or nil for a method the conventions do not know (`_OTHER`).
    static func semanticMethod(_ method: HTTP1Method) -> String? {
        method.isStandard ? method.name : nil
    }

    /// Sets the request attributes of the server span in `state`, reusing the connection's cached strings.
    static func recordServerRequest(
        _ state: inout ExchangeTraceState, head: HTTP1RequestHead, pathAndQuery: ArraySlice<UInt8>, route: Route?,
        frontend: FrontendConnection, options: GatewayTracingOptions
    ) {
        if let name = semanticMethod(head.method) {
            state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.httpRequestMethod, .string(name))
        } else {
            state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.httpRequestMethod, "_OTHER")
            state.serverSpan.setAttribute(
                uniqueKey: SemanticAttributes.httpRequestMethodOriginal, .string(head.method.name))
        }
        let queryStart = pathAndQuery.firstIndex(of: UInt8(ascii: "?"))
        let path = state.urlPath.string(for: pathAndQuery[..<(queryStart ?? pathAndQuery.endIndex)])
        state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.urlPath, .string(path))
        if options.recordURLQuery, let queryStart {
            state.serverSpan.setAttribute(
                uniqueKey: SemanticAttributes.urlQuery,
                .string(String(decoding: pathAndQuery[(queryStart + 1)...], as: UTF8.self)))
        }
        state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.urlScheme, "http")
        if let route {
            state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.httpRoute, .string(route.template.routeName))
        }
        if let authority = head.authority, !authority.isEmpty {
            let host: String
            if let cached = state.authorityHost.cached(for: authority) {
                host = cached
            } else {
                let (parsedHost, port) = splitAuthority(authority)
                host = parsedHost
                state.authorityPort = Int64(port ?? 80)
                state.authorityHost.store(host, for: authority)
            }
            state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.serverAddress, .string(host))
            state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.serverPort, .int(state.authorityPort))
        }
        if let peer = frontend.peer {
            let peerHost: String
            if let cached = state.peerHost {
                peerHost = cached
            } else {
                // Once per connection: `peerHostBytes` was formatted when the connection was accepted.
                peerHost = String(decoding: frontend.peerHostBytes, as: UTF8.self)
                state.peerHost = peerHost
                state.peerPort = Int64(peer.port)
            }
            state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.networkPeerAddress, .string(peerHost))
            state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.networkPeerPort, .int(state.peerPort))
            if !options.trustedProxies.isEmpty,
               let forwarded = ClientAddressResolver.clientAddress(peer: peer, fields: head.fields, trusted: options.trustedProxies)
            {
                state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.clientAddress, .string(forwarded))
            } else {
                state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.clientAddress, .string(peerHost))
                state.serverSpan.setAttribute(uniqueKey: SemanticAttributes.clientPort, .int(state.peerPort))
            }
        }
        state.serverSpan.setAttribute(
            uniqueKey: SemanticAttributes.networkProtocolVersion, head.version == .http1_1 ? "1.1" : "1.0")
        if let agent = head.fields.firstValue(named: "user-agent") {
            state.serverSpan.setAttribute(
                uniqueKey: SemanticAttributes.userAgentOriginal, .string(state.userAgent.string(for: agent)))
        }
        if !options.captureRequestHeaders.isEmpty {
            captureHeaders(&state.serverSpan, fields: head.fields, names: options.captureRequestHeaders, prefix: "http.request.header.")
        }
    }

    /// Sets the request attributes of the client span in `state` from the backend's cached strings.
    static func recordClientRequest(
        _ state: inout ExchangeTraceState, method: HTTP1Method, backend: BackendSpanStrings,
        pathAndQuery: ArraySlice<UInt8>, resendCount: Int
    ) {
        if let name = semanticMethod(method) {
            state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.httpRequestMethod, .string(name))
        } else {
            state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.httpRequestMethod, "_OTHER")
            state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.httpRequestMethodOriginal, .string(method.name))
        }
        let url: String
        if let cached = state.urlFull.cached(for: pathAndQuery) {
            url = cached
        } else {
            var built = backend.urlPrefix
            built.reserveCapacity(built.utf8.count + pathAndQuery.count)
            built += String(decoding: pathAndQuery, as: UTF8.self)
            url = built
            state.urlFull.store(url, for: pathAndQuery)
        }
        state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.urlFull, .string(url))
        state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.serverAddress, .string(backend.serverAddress))
        state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.serverPort, .int(backend.serverPort))
        state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.networkPeerAddress, .string(backend.peerAddress))
        state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.networkPeerPort, .int(backend.peerPort))
        state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.networkProtocolVersion, "1.1")
        if resendCount > 0 {
            state.clientSpan.setAttribute(uniqueKey: SemanticAttributes.httpRequestResendCount, .int(Int64(resendCount)))
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

    /// Splits `host[:port]` / `[v6]:port`.
    static func splitAuthority(_ authority: ArraySlice<UInt8>) -> (String, Int?) {
        if authority.first == UInt8(ascii: "["), let close = authority.firstIndex(of: UInt8(ascii: "]")) {
            let host = String(decoding: authority[(authority.startIndex + 1)..<close], as: UTF8.self)
            let rest = authority[(close + 1)...]
            if rest.first == UInt8(ascii: ":") { return (host, Int(String(decoding: rest.dropFirst(), as: UTF8.self))) }
            return (host, nil)
        }
        if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            return (String(decoding: authority[..<colon], as: UTF8.self), Int(String(decoding: authority[(colon + 1)...], as: UTF8.self)))
        }
        return (String(decoding: authority, as: UTF8.self), nil)
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
