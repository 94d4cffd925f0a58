import Glibc

/// A pthread mutex with one condition variable whose timed waits use `CLOCK_MONOTONIC`.
///
/// `Synchronization.Mutex` has no condition variable, and the batch processor's export thread must sleep until
/// "batch full or schedule delay elapsed", so this wraps the POSIX pair. Both live in stable heap memory because
/// pthread objects must not move. It is also the lock for the little state exporters share across threads:
/// `Synchronization.Mutex` is futex-based on Linux, which ThreadSanitizer cannot see, so it would hide real races.
public final class ConditionLock: @unchecked Sendable {  // pthread_mutex_t itself serialises every access.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    /// Creates an unlocked mutex and its condition variable.
    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        precondition(pthread_cond_init(condition, &attributes) == 0, "pthread_cond_init failed")
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Acquires the mutex.
    @inline(__always)
    public func lock() { pthread_mutex_lock(mutex) }

    /// Releases the mutex.
    @inline(__always)
    public func unlock() { pthread_mutex_unlock(mutex) }

    /// Runs `body` with the mutex held.
    @inline(__always)
    public func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits for a signal (mutex must be held); may wake spuriously.
    func wait() { pthread_cond_wait(condition, mutex) }

    /// Waits for a signal or until the monotonic clock reaches `deadline` (mutex must be held); may wake spuriously.
    func wait(untilMonotonic deadline: UInt64) {
        var spec = timespec(
            tv_sec: Int(deadline / 1_000_000_000),
            tv_nsec: Int(deadline % 1_000_000_000)
        )
        pthread_cond_timedwait(condition, mutex, &spec)
    }

    /// Wakes every waiter.
    func broadcast() { pthread_cond_broadcast(condition) }
}
