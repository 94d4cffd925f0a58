import CNghttp2

/// An HTTP/2 protocol or library failure reported by nghttp2 (RFC 9113 §5.4 connection errors and API misuse).
public struct HTTP2Error: Error, Sendable, CustomStringConvertible {
    /// nghttp2's negative error code (`nghttp2_error`).
    public var code: Int32
    /// What was being done.
    public var operation: String

    /// Creates an error for `operation` from an nghttp2 return code.
    public init(_ operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    /// A one-line explanation for logs.
    public var description: String {
        "HTTP/2 \(operation) failed: \(String(cString: nghttp2_strerror(Int32(code)))) (\(code))"
    }
}
