import CSystemShims

/// The readiness bits epoll reported for one registered descriptor.
///
/// The raw values are the kernel's `EPOLL*` bits (epoll(7)), so no translation happens per event.
public struct IOEvents: OptionSet, Sendable, Hashable {
    /// The kernel's epoll event mask.
    public var rawValue: UInt32

    /// Wraps an epoll event mask.
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Data (or a pending connection, or EOF) can be read (EPOLLIN).
    public static let readable = IOEvents(rawValue: CSYS_EPOLLIN)
    /// Buffer space for writing became available, or a connect finished (EPOLLOUT).
    public static let writable = IOEvents(rawValue: CSYS_EPOLLOUT)
    /// The peer shut down its writing side (EPOLLRDHUP).
    public static let readHangup = IOEvents(rawValue: CSYS_EPOLLRDHUP)
    /// Both directions are shut down or the connection was reset (EPOLLHUP).
    public static let hangup = IOEvents(rawValue: CSYS_EPOLLHUP)
    /// The socket has a pending error (EPOLLERR); read it with SO_ERROR.
    public static let error = IOEvents(rawValue: CSYS_EPOLLERR)

    /// What a stream socket registers for: everything, edge-triggered, so no re-arm is ever needed.
    public static let stream: IOEvents = [.readable, .writable, .readHangup]
}
