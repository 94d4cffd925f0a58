import Glibc

/// A value guarded by a `pthread_mutex_t`, for the little state other threads share with a loop (its inbox).
///
/// Chosen over `Synchronization.Mutex` because that one is futex-based on Linux, which ThreadSanitizer cannot see:
/// every access under it is reported as a race, hiding real ones. A pthread mutex is understood by TSan and costs
/// the same uncontended.
///
/// `@unchecked Sendable`: `value` is only read or written between `pthread_mutex_lock` and `unlock` of `mutex`.
final class LockedValue<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let rc = pthread_mutex_init(mutex, nil)
        precondition(rc == 0, "pthread_mutex_init failed: \(rc)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    @inline(__always)
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
