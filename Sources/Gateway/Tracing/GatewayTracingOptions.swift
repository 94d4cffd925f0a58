/// How the gateway traces requests, beyond the seed's options: span kinds, response header, trust, header capture.
public struct GatewayTracingOptions: Sendable, Equatable {
    /// A CLIENT span per backend attempt (key `client_spans`, default true).
    public var clientSpans: Bool
    /// Append `Server-Timing: trace;desc=00-{trace}-{span}-{flags}` to responses (key `response_trace_header`, default true).
    public var responseTraceHeader: Bool
    /// Also send the older `traceresponse` header (key `traceresponse_header`, default false).
    public var traceresponseHeader: Bool
    /// Whether callers' trace context is continued (key `trust_incoming_trace`, default true); when false the caller's
    /// context becomes a link on a new trace and cannot force sampling.
    public var trustIncomingTrace: Bool
    /// Proxies whose Forwarded / X-Forwarded-For entries are believed for `client.address` (key `trusted_proxies`).
    public var trustedProxies: [CIDRBlock]
    /// Request header names recorded as `http.request.header.<name>` (key `capture_request_headers`), lowercased.
    public var captureRequestHeaders: [String]
    /// Response header names recorded as `http.response.header.<name>` (key `capture_response_headers`), lowercased.
    public var captureResponseHeaders: [String]
    /// Header names never recorded or logged, even when listed for capture (key `redact_headers`), lowercased.
    public var redactHeaders: [String]
    /// Record `url.query` on server spans (key `record_url_query`, default false: queries often carry secrets).
    public var recordURLQuery: Bool

    static func resolve(_ reader: SettingReader) throws -> GatewayTracingOptions {
        let bool: (String) -> Bool? = SettingParsers.bool
        let names: (String) -> [String]? = { text in
            let list = SettingParsers.list(text).map { $0.lowercased() }
            return list.allSatisfy { $0.utf8.allSatisfy { b in b > 0x20 && b < 0x7F && b != UInt8(ascii: ":") } } ? list : nil
        }
        let redact = try reader.value("redact_headers", names)
        return GatewayTracingOptions(
            clientSpans: try reader.value("client_spans", bool),
            responseTraceHeader: try reader.value("response_trace_header", bool),
            traceresponseHeader: try reader.value("traceresponse_header", bool),
            trustIncomingTrace: try reader.value("trust_incoming_trace", bool),
            trustedProxies: try reader.value("trusted_proxies") { text -> [CIDRBlock]? in
                var blocks: [CIDRBlock] = []
                for item in SettingParsers.list(text) {
                    guard let block = CIDRBlock(item) else { return nil }
                    blocks.append(block)
                }
                return blocks
            },
            captureRequestHeaders: try reader.value("capture_request_headers", names).filter { !redact.contains($0) },
            captureResponseHeaders: try reader.value("capture_response_headers", names).filter { !redact.contains($0) },
            redactHeaders: redact,
            recordURLQuery: try reader.value("record_url_query", bool)
        )
    }
}
