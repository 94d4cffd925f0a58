/// A failed system call: which operation failed and the errno it reported.
///
/// Errors stay numeric on the hot path; `description` (strerror-free, to keep the module pure) is only built when
/// someone logs it. Timeouts and limits that are not syscalls reuse the matching errno (`ETIMEDOUT`, `EMFILE`) so
/// callers switch on one type.
public struct IOError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The operation that failed.
    public var operation: IOOperation
    /// The `errno` value reported by the kernel (or chosen by NetIO for a timeout).
    public var errno: Int32

    /// Creates an error for `operation` with `errno`.
    @inlinable
    public init(_ operation: IOOperation, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    /// "connect failed: errno 111" style text for logs.
    public var description: String { "\(operation) failed: errno \(errno)" }
}

/// The system operations NetIO performs, named so an `IOError` says what went wrong without a string.
public enum IOOperation: String, Hashable, Sendable {
    case socket, bind, listen, accept, connect, read, write, shutdown, close
    case setsockopt, getsockname, getpeername, resolve
    case epollCreate, epollControl, epollWait, eventfd, timerfd
}
