import TraceCore
import TraceEncoding

/// The wire format of an exporter's request body: a closed set, so encoding is statically dispatched.
public enum SpanPayloadEncoder: Sendable {
    /// OTLP `ExportTraceServiceRequest` in protobuf (OTLP/gRPC, OTLP/HTTP `application/x-protobuf`).
    case otlpProtobuf(OTLPProtobufEncoder)
    /// OTLP/JSON (`application/json`: hex ids, integer enums, lowerCamelCase keys).
    case otlpJSON(OTLPJSONEncoder)
    /// Jaeger Thrift `Batch`, binary protocol.
    case jaegerThrift(JaegerThriftEncoder)
    /// Zipkin v2 JSON span list.
    case zipkinJSON(ZipkinJSONEncoder)

    /// The request's Content-Type.
    public var contentType: String {
        switch self {
        case .otlpProtobuf: return "application/x-protobuf"
        case .otlpJSON: return "application/json"
        case .jaegerThrift: return "application/vnd.apache.thrift.binary"
        case .zipkinJSON: return "application/json"
        }
    }

    /// Encodes `spans`, appending to `out` (a buffer the exporter reuses between batches).
    public func encode(_ spans: [FinishedSpan], into out: inout [UInt8]) {
        switch self {
        case .otlpProtobuf(let encoder): encoder.encode(spans, into: &out)
        case .otlpJSON(let encoder): encoder.encode(spans, into: &out)
        case .jaegerThrift(let encoder): encoder.encode(spans, into: &out)
        case .zipkinJSON(let encoder): encoder.encode(spans, into: &out)
        }
    }
}
