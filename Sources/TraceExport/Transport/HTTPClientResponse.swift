/// A complete response: status, header fields, body and (HTTP/2, gRPC) trailer fields.
public struct HTTPClientResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields in arrival order, names lowercased.
    public var headers: [(name: String, value: String)]
    /// The body bytes (de-chunked).
    public var body: [UInt8]
    /// Trailer fields, names lowercased; for a gRPC Trailers-Only response the trailers are the header fields.
    public var trailers: [(name: String, value: String)]

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
                trailers: [(name: String, value: String)] = []) {
        self.status = status
        self.headers = headers
        self.body = body
        self.trailers = trailers
    }

    /// The first header field named `name` (lowercase).
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    /// The first trailer field named `name` (lowercase).
    public func trailer(_ name: String) -> String? {
        trailers.first { $0.name == name }?.value
    }
}
