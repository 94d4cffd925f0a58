import HTTP1
import NetIO
import TraceCore

/// Sets the OpenTelemetry HTTP semantic-convention attributes on server and client spans.
enum HTTPSpanAttributes {
    /// The semantic-convention method name, or nil for a method the conventions do not know (`_OTHER`).
    static func semanticMethod(_ method: HTTP1Method) -> String? {
        switch method {
        case .get: return "GET"
        case .head: return "HEAD"
        case .post: return "POST"
        case .put: return "PUT"
        case .delete: return "DELETE"
        case .connect: return "CONNECT"
        case .options: return "OPTIONS"
        case .trace: return "TRACE"
        case .patch: return "PATCH"
        case .other: return nil
        }
    }

    static func recordServerRequest(
        _ span: inout RecordingSpan, head: HTTP1RequestHead, pathAndQuery: ArraySlice<UInt8>, route: Route?,
        frontend: FrontendConnection, options: GatewayTracingOptions
    ) {
        if let name = semanticMethod(head.method) {
            span.setAttribute(SemanticAttributes.httpRequestMethod, .string(name))
        } else {
            span.setAttribute(SemanticAttributes.httpRequestMethod, "_OTHER")
            span.setAttribute(SemanticAttributes.httpRequestMethodOriginal, .string(head.method.name))
        }
        let queryStart = pathAndQuery.firstIndex(of: UInt8(ascii: "?"))
        span.setAttribute(SemanticAttributes.urlPath, .string(String(decoding: pathAndQuery[..<(queryStart ?? pathAndQuery.endIndex)], as: UTF8.self)))
        if options.recordURLQuery, let queryStart {
            span.setAttribute(SemanticAttributes.urlQuery, .string(String(decoding: pathAndQuery[(queryStart + 1)...], as: UTF8.self)))
        }
        span.setAttribute(SemanticAttributes.urlScheme, "http")
        if let route, route.template.text != "/" || !route.template.captureNames.isEmpty {
            span.setAttribute(SemanticAttributes.httpRoute, .string(route.template.text))
        }
        if let authority = head.authority, !authority.isEmpty {
            let (host, port) = splitAuthority(authority)
            span.setAttribute(SemanticAttributes.serverAddress, .string(host))
            span.setAttribute(SemanticAttributes.serverPort, .int(Int64(port ?? 80)))
        }
        if let peer = frontend.peer {
            span.setAttribute(SemanticAttributes.networkPeerAddress, .string(peer.host))
            span.setAttribute(SemanticAttributes.networkPeerPort, .int(Int64(peer.port)))
            if let forwarded = ClientAddressResolver.clientAddress(peer: peer, fields: head.fields, trusted: options.trustedProxies) {
                span.setAttribute(SemanticAttributes.clientAddress, .string(forwarded))
            } else {
                span.setAttribute(SemanticAttributes.clientAddress, .string(peer.host))
                span.setAttribute(SemanticAttributes.clientPort, .int(Int64(peer.port)))
            }
        }
        span.setAttribute(SemanticAttributes.networkProtocolVersion, head.version == .http1_1 ? "1.1" : "1.0")
        if let agent = head.fields.firstValue(named: "user-agent") {
            span.setAttribute(SemanticAttributes.userAgentOriginal, .string(String(decoding: agent, as: UTF8.self)))
        }
        captureHeaders(&span, fields: head.fields, names: options.captureRequestHeaders, prefix: "http.request.header.")
    }

    static func recordClientRequest(
        _ span: inout RecordingSpan, method: HTTP1Method, upstream: ServiceEndpoint, address: SocketAddress,
        pathAndQuery: ArraySlice<UInt8>, resendCount: Int
    ) {
        if let name = semanticMethod(method) {
            span.setAttribute(SemanticAttributes.httpRequestMethod, .string(name))
        } else {
            span.setAttribute(SemanticAttributes.httpRequestMethod, "_OTHER")
            span.setAttribute(SemanticAttributes.httpRequestMethodOriginal, .string(method.name))
        }
        span.setAttribute(SemanticAttributes.urlFull, .string("http://\(upstream.authority)\(String(decoding: pathAndQuery, as: UTF8.self))"))
        span.setAttribute(SemanticAttributes.serverAddress, .string(upstream.host))
        span.setAttribute(SemanticAttributes.serverPort, .int(Int64(upstream.port)))
        span.setAttribute(SemanticAttributes.networkPeerAddress, .string(address.host))
        span.setAttribute(SemanticAttributes.networkPeerPort, .int(Int64(address.port)))
        span.setAttribute(SemanticAttributes.networkProtocolVersion, "1.1")
        if resendCount > 0 {
            span.setAttribute(SemanticAttributes.httpRequestResendCount, .int(Int64(resendCount)))
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
