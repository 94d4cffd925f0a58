import Glibc

/// Starts and joins a joinable pthread running a Swift closure.
///
/// The export thread must not be a Foundation `Thread`, and a C start routine cannot capture generic context, so this
/// non-generic type boxes the closure and passes it through the `void *` argument.
struct PosixThread: Sendable {
    /// The pthread handle, for `join`.
    let handle: pthread_t

    /// Boxes the body so it can cross the C boundary.
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Starts a thread running `body`.
    static func start(_ body: @escaping @Sendable () -> Void) -> PosixThread {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(
            &handle, nil,
            { raw in
                let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
                body.run()
                return nil
            }, context)
        precondition(result == 0, "pthread_create failed: \(result)")
        return PosixThread(handle: handle)
    }

    /// Waits for the thread to exit.
    func join() {
        pthread_join(handle, nil)
    }
}
