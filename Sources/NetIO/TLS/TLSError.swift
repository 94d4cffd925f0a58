/// A TLS failure: configuration (bad CA or key file), handshake (certificate not trusted, no common version) or
/// record layer (bad MAC, unexpected alert).
public struct TLSError: Error, Sendable, CustomStringConvertible {
    /// What was being done.
    public var operation: String
    /// OpenSSL's error queue rendered as text (oldest first), or a reason of our own.
    public var detail: String

    /// Creates an error for `operation` with `detail`.
    public init(_ operation: String, detail: String) {
        self.operation = operation
        self.detail = detail
    }

    /// A one-line explanation for logs.
    public var description: String { "TLS \(operation) failed: \(detail)" }
}
