/// An object that owns one file descriptor registered with an `EventLoop` and reacts to its readiness.
///
/// Registration is edge-triggered (EPOLLET): a handler must read or write until `EAGAIN` (or ask the loop to call it
/// again with `EventLoop.deliverAgain`), because the kernel reports each readiness change only once. Handlers are
/// loop-bound and never `Sendable`: the loop calls them only on its own thread.
public protocol EventHandler: AnyObject {
    /// Called on the loop thread with the events epoll reported (or that were re-delivered).
    func handleEvents(_ events: IOEvents)

    /// Called once on the loop thread when the loop shuts down while this handler is still registered;
    /// the handler should close its descriptor and deregister.
    func eventLoopWillShutDown()
}

/// A registered descriptor's place in its loop's slot table.
///
/// The epoll user datum is `generation << 32 | index`; the generation changes on every deregistration, so an event
/// still queued for a closed descriptor whose slot (or fd number) was reused is recognised as stale and ignored.
public struct Registration: Hashable, Sendable {
    /// Index into the loop's slot table.
    public let index: UInt32
    /// Generation of the slot when this registration was made.
    public let generation: UInt32

    @inlinable var epollData: UInt64 { UInt64(generation) << 32 | UInt64(index) }
}

/// A connection whose `flush()` waits until later in the loop pass (see `EventLoop.deferFlush(_:)`).
public protocol DeferredFlushing: AnyObject {
    /// Sends what the connection queued; called once per `EventLoop.deferFlush(_:)`, later in the same pass.
    func performDeferredFlush()
}
