/// One request an exporter sends: always a complete body, as OTLP, Jaeger and Zipkin uploads are.
public struct HTTPClientRequest: Sendable {
    /// The method (POST for every exporter).
    public var method: String
    /// The origin-form target, e.g. `/v1/traces` or `/opentelemetry.proto.collector.trace.v1.TraceService/Export`.
    public var path: String
    /// Extra header fields, names lowercase; Host/:authority, Content-Length and framing are added by the client.
    public var headers: [(name: String, value: String)]
    /// The complete body.
    public var body: [UInt8]

    /// Creates a request.
    public init(method: String = "POST", path: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}
