import CSystemShims
import Dispatch
import Glibc
import IOCore
import Synchronization

/// One event loop: a private epoll set, the handlers registered in it, its timers and its reusable I/O memory.
///
/// Each worker thread owns exactly one loop and every connection belongs to exactly one loop. A wake-up drains up to
/// `maximumEventsPerWake` ready descriptors in one pass (measured 1.09-1.12x nginx, against 0.64x for one Dispatch
/// source per connection). Descriptors are registered edge-triggered with all interest bits, so no `epoll_ctl`
/// happens per event.
///
/// Thread rules: everything except `execute(_:)`, `inEventLoop` and `shutdown()` must be called on the loop.
/// `@unchecked Sendable`: the loop-confined state (slots, timers, buffers, local queues) is touched only by the loop
/// thread (the blocking pthread, or the serial `queue` under the Dispatch driver, recorded in `loopThread`);
/// the only cross-thread state is `inbox`, guarded by its pthread mutex, and the atomic `loopThread`.
public final class EventLoop: @unchecked Sendable {
    /// How this loop waits for events.
    public let driver: EventLoopDriver
    /// Most events taken from epoll per `epoll_wait`.
    public let maximumEventsPerWake: Int
    /// Deferred flushes run after every this many events of a pass as well as at its end.
    public let eventsPerDeferredFlush: Int
    /// Under the Dispatch driver, how long a drained loop keeps waiting in `epoll_wait` for more events before it
    /// hands its thread back to Dispatch (0: return at once).
    public let idleLingerMilliseconds: Int32
    /// How long a drained loop polls before it blocks (loop thread only; see `BusyPollWindow`).
    private var busyPoll: BusyPollWindow
    /// The busy-poll window's current length (read on the loop; for tests).
    var busyPollCurrentNanoseconds: UInt64 { busyPoll.currentNanoseconds }
    /// A free list of buffers for this loop's connections (loop thread only).
    public let bufferPool: BufferPool

    let epollFD: Int32
    private let wakeFD: Int32
    private let timerFD: Int32
    private let queue: DispatchQueue
    private var source: (any DispatchSourceRead)?

    // Loop-confined state.
    private var slots: [Slot] = []
    private var freeSlots: [UInt32] = []
    private var timers = TimerHeap()
    private var armedTimerDeadline: UInt64 = 0
    private var redeliveries: [(Registration, IOEvents)] = []
    private var spareRedeliveries: [(Registration, IOEvents)] = []
    private var soon: [() -> Void] = []
    /// `CLOCK_MONOTONIC` when the current pass's events arrived, read on first use in the pass (0: not read yet).
    private var passTime: UInt64 = 0
    /// Run at the end of every pass (loop thread only).
    private var passEndObservers: [() -> Void] = []
    private var spareSoon: [() -> Void] = []
    /// Connections to flush at the end of the pass, and the spare list swapped in while they run.
    private var deferredFlushes: [any DeferredFlushing] = []
    private var spareDeferredFlushes: [any DeferredFlushing] = []
    private var spareTasks: [@Sendable () -> Void] = []
    private var isStopping = false
    private let eventData: UnsafeMutablePointer<UInt64>
    private let eventMasks: UnsafeMutablePointer<UInt32>
    /// Scratch memory for `read(2)`: connections read here and hand a view to their handler (copy once).
    let readBuffer: UnsafeMutableRawBufferPointer
    /// Scratch iovec array for `writev`; `maximumIOVecs` entries.
    let iovecs: UnsafeMutablePointer<iovec>
    /// Capacity of `iovecs`.
    let maximumIOVecs: Int

    // Cross-thread state.
    private let inbox = LockedValue(Inbox())
    private let loopThread = Atomic<UInt>(0)
    private let stopped = DispatchSemaphore(value: 0)

    private struct Inbox {
        var tasks: [@Sendable () -> Void] = []
        var wakeArmed = false
        var isShutDown = false
    }

    private struct Slot {
        var handler: (any EventHandler)?
        var fd: Int32 = -1
        var generation: UInt32 = 0
    }

    private static let wakeData = UInt64.max
    private static let timerData = UInt64.max - 1

    /// Creates and starts a loop.
    /// - Parameters:
    ///   - driver: how the loop waits (see `EventLoopDriver`).
    ///   - name: label of the loop's queue or thread, for debuggers and profilers.
    ///   - maximumEventsPerWake: epoll batch size (default 256).
    ///   - readBufferSize: bytes of the shared read scratch buffer (default 64 KiB).
    ///   - maximumIOVecs: iovecs per `writev` (default 64; Linux allows 1024).
    ///   - idleLingerMilliseconds: Dispatch driver only: how long a drained loop waits for more events before it
    ///     returns its thread to Dispatch (default 2 ms; 0 returns at once).
    ///   - eventsPerDeferredFlush: writes flushed during a pass leave after every this many handled events as well
    ///     as at the pass's end (default 64): at a few dozen connections a pass's writes still leave back to back,
    ///     while at hundreds the first answers do not wait for the last events to be handled (paired runs at 256
    ///     connections through the proxy: +0.8 to +5 % requests/s, within the noise of that machine).
    ///   - busyPollNanoseconds: the longest a drained loop keeps polling for events before it blocks (default 0:
    ///     never; see `BusyPollWindow`). Polling keeps the core busy while events keep coming that close together,
    ///     so they are taken without a wake-up; an idle or lightly loaded loop stops polling by itself.
    public init(
        driver: EventLoopDriver = .dispatchSource,
        name: String = "tracegw.loop",
        maximumEventsPerWake: Int = 256,
        readBufferSize: Int = 64 * 1024,
        maximumIOVecs: Int = 64,
        idleLingerMilliseconds: Int32 = 2,
        eventsPerDeferredFlush: Int = 64,
        busyPollNanoseconds: UInt64 = 0
    ) throws(IOError) {
        self.driver = driver
        self.busyPoll = BusyPollWindow(maximumNanoseconds: busyPollNanoseconds)
        self.eventsPerDeferredFlush = max(eventsPerDeferredFlush, 1)
        self.idleLingerMilliseconds = max(idleLingerMilliseconds, 0)
        self.maximumEventsPerWake = min(max(maximumEventsPerWake, 1), 256)
        self.maximumIOVecs = min(max(maximumIOVecs, 1), 1024)
        bufferPool = BufferPool()
        queue = DispatchQueue(label: name)

        let epollFD = csys_epoll_create()
        guard epollFD >= 0 else { throw IOError(.epollCreate, errno: Glibc.errno) }
        let wakeFD = csys_eventfd(0)
        guard wakeFD >= 0 else {
            let e = Glibc.errno
            Glibc.close(epollFD)
            throw IOError(.eventfd, errno: e)
        }
        let timerFD = csys_timerfd_create()
        guard timerFD >= 0 else {
            let e = Glibc.errno
            Glibc.close(epollFD)
            Glibc.close(wakeFD)
            throw IOError(.timerfd, errno: e)
        }
        self.epollFD = epollFD
        self.wakeFD = wakeFD
        self.timerFD = timerFD
        eventData = .allocate(capacity: 256)
        eventMasks = .allocate(capacity: 256)
        readBuffer = .allocate(byteCount: max(readBufferSize, 4096), alignment: 16)
        iovecs = .allocate(capacity: self.maximumIOVecs)

        let edge = CSYS_EPOLLIN | CSYS_EPOLLET
        guard csys_epoll_ctl(epollFD, 1, wakeFD, edge, Self.wakeData) == 0,
              csys_epoll_ctl(epollFD, 1, timerFD, edge, Self.timerData) == 0
        else {
            let e = Glibc.errno
            closeDescriptors()
            throw IOError(.epollControl, errno: e)
        }
        start(name: name)
    }

    deinit {
        eventData.deallocate()
        eventMasks.deallocate()
        readBuffer.deallocate()
        iovecs.deallocate()
    }

    private func closeDescriptors() {
        Glibc.close(timerFD)
        Glibc.close(wakeFD)
        Glibc.close(epollFD)
    }

    // MARK: Thread identity

    /// Whether the caller runs on this loop (inside one of its handlers, tasks or timers).
    public var inEventLoop: Bool { loopThread.load(ordering: .relaxed) == UInt(pthread_self()) }

    /// Traps in debug builds when called off the loop.
    @inlinable
    public func assertInEventLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(inEventLoop, "called off its event loop", file: file, line: line)
    }

    // MARK: Cross-thread entry

    /// Runs `work` on the loop; the only way another thread reaches a loop.
    ///
    /// The task is appended to a mutex-guarded inbox and the loop is woken through its eventfd (one `write(2)` per
    /// batch: later tasks see the wake-up already armed). Tasks run in submission order after the current pass.
    /// Work submitted after `shutdown()` is dropped.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        let mustWake = inbox.withLock { inbox -> Bool in
            guard !inbox.isShutDown else { return false }
            inbox.tasks.append(work)
            if inbox.wakeArmed { return false }
            inbox.wakeArmed = true
            return true
        }
        if mustWake { wake() }
    }

    private func wake() {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { Glibc.write(wakeFD, $0.baseAddress, 8) }
    }

    // MARK: Registration (loop thread)

    /// Adds `fd` to the loop's epoll set, edge-triggered, and routes its events to `handler`.
    ///
    /// The loop keeps a strong reference to `handler` until `deregister`. The caller still owns `fd`.
    public func register(fd: Int32, events: IOEvents = .stream, handler: any EventHandler) throws(IOError) -> Registration {
        assertInEventLoop()
        let index: UInt32
        if let free = freeSlots.popLast() {
            index = free
        } else {
            index = UInt32(slots.count)
            slots.append(Slot())
        }
        slots[Int(index)].handler = handler
        slots[Int(index)].fd = fd
        let registration = Registration(index: index, generation: slots[Int(index)].generation)
        if csys_epoll_ctl(epollFD, 1, fd, events.rawValue | CSYS_EPOLLET, registration.epollData) != 0 {
            let e = Glibc.errno
            release(index)
            throw IOError(.epollControl, errno: e)
        }
        return registration
    }

    /// Removes the descriptor from the epoll set and forgets its handler; queued events for it are ignored.
    ///
    /// Call before closing the descriptor.
    public func deregister(_ registration: Registration) {
        assertInEventLoop()
        let index = Int(registration.index)
        guard index < slots.count, slots[index].generation == registration.generation,
              slots[index].handler != nil else { return }
        _ = csys_epoll_ctl(epollFD, 2, slots[index].fd, 0, 0)
        release(registration.index)
    }

    private func release(_ index: UInt32) {
        slots[Int(index)].handler = nil
        slots[Int(index)].fd = -1
        slots[Int(index)].generation &+= 1
        freeSlots.append(index)
    }

    /// Number of descriptors currently registered by handlers.
    public var registeredCount: Int { slots.count - freeSlots.count }

    /// Calls the registration's handler again with `events` later in this pass (or at the start of the next).
    ///
    /// Edge-triggered handlers use this when they stop early for fairness (read budget spent) or when reading
    /// resumes after a pause, since the kernel will not report the same readiness again.
    public func deliverAgain(_ events: IOEvents, to registration: Registration) {
        assertInEventLoop()
        redeliveries.append((registration, events))
    }

    /// Runs `body` on the loop after the current handler returns (loop thread only; for non-`Sendable` work).
    public func runSoon(_ body: @escaping () -> Void) {
        assertInEventLoop()
        soon.append(body)
    }

    /// Flushes `connection` later in the current pass: after the batch of `eventsPerDeferredFlush` events being
    /// handled, or at the end of the pass, after its handlers, timers and tasks ran (loop thread only). The caller
    /// calls it once per pending flush (`TCPConnection` keeps a flag).
    public func deferFlush(_ connection: any DeferredFlushing) {
        assertInEventLoop()
        deferredFlushes.append(connection)
    }

    /// The monotonic time (`MonotonicClock.nanoseconds()`) at which the events of the current pass were picked up:
    /// read once per pass, on first use, and shared by every handler in the pass (loop thread only).
    ///
    /// For timestamps that mean "when this input arrived" (a request's or a response's first bytes), where one clock
    /// read per pass replaces one per use; handlers that need the time after their own work read the clock.
    public var passTimeNanoseconds: UInt64 {
        if passTime == 0 { passTime = MonotonicClock.nanoseconds() }
        return passTime
    }

    /// Runs `body` at the end of every loop pass, after the pass's handlers, timers and tasks, before the loop waits
    /// again (loop thread only). For work worth batching over a burst of events, e.g. handing the spans ended during
    /// the pass to the exporter queue at once.
    public func addPassEndObserver(_ body: @escaping () -> Void) {
        assertInEventLoop()
        passEndObservers.append(body)
    }

    // MARK: Timers (loop thread)

    /// Schedules `body` to run on the loop at `deadline`; timers due at the same instant run in scheduling order.
    @discardableResult
    public func scheduleTimer(at deadline: Deadline, _ body: @escaping () -> Void) -> TimerHandle {
        assertInEventLoop()
        let handle = timers.insert(deadline: deadline.uptimeNanoseconds, body: body)
        armTimerFD()
        return handle
    }

    /// Schedules `body` to run after `nanoseconds`.
    @discardableResult
    public func scheduleTimer(afterNanoseconds nanoseconds: Int64, _ body: @escaping () -> Void) -> TimerHandle {
        scheduleTimer(at: .after(nanoseconds: nanoseconds), body)
    }

    /// Cancels a pending timer; returns false if it already ran or was cancelled.
    @discardableResult
    public func cancelTimer(_ handle: TimerHandle) -> Bool {
        assertInEventLoop()
        return timers.cancel(handle)
    }

    /// Number of pending timers.
    public var pendingTimerCount: Int { timers.count }

    /// Keeps the timerfd armed at the earliest deadline (Dispatch driver only; the blocking driver uses the
    /// `epoll_wait` timeout instead, saving the `timerfd_settime` call).
    private func armTimerFD() {
        guard driver == .dispatchSource else { return }
        let earliest = timers.earliestDeadline() ?? 0
        guard earliest != armedTimerDeadline else { return }
        armedTimerDeadline = earliest
        _ = csys_timerfd_set_absolute(timerFD, earliest == 0 ? 0 : max(earliest, 1))
    }

    private func runDueTimers() {
        guard timers.count > 0 else { return }
        let now = MonotonicClock.nanoseconds()
        while let body = timers.popDue(now: now) { body() }
        armTimerFD()
    }

    // MARK: The pass

    /// One drain pass: wait up to `timeoutMilliseconds` (0 = poll), dispatch every ready event, then run
    /// re-deliveries, timers, local work and cross-thread tasks.
    @discardableResult
    private func runPass(timeoutMilliseconds: Int32) -> Int {
        let ready = csys_epoll_wait(epollFD, eventData, eventMasks, Int32(maximumEventsPerWake), timeoutMilliseconds)
        passTime = 0
        var tasksPending = false
        if ready > 0 {
            for i in 0..<Int(ready) {
                // A long pass (hundreds of ready connections) sends what its first events wrote before going on,
                // so their peers are not left idle until the pass ends.
                if i != 0, i % eventsPerDeferredFlush == 0 { runDeferredFlushes() }
                let data = eventData[i]
                if data == Self.wakeData {
                    drainCounter(wakeFD)
                    tasksPending = true
                } else if data == Self.timerData {
                    drainCounter(timerFD)
                } else {
                    dispatch(data: data, events: IOEvents(rawValue: eventMasks[i]))
                }
            }
        }
        if !redeliveries.isEmpty {
            swap(&redeliveries, &spareRedeliveries)
            for (registration, events) in spareRedeliveries {
                dispatch(data: registration.epollData, events: events)
            }
            spareRedeliveries.removeAll(keepingCapacity: true)
        }
        runDueTimers()
        runSoonQueue()
        if tasksPending { runTasks() }
        runDeferredFlushes()
        for observer in passEndObservers { observer() }
        // An observer may have written too: its flush leaves in this pass, not after the next wake-up.
        runDeferredFlushes()
        return Int(ready)
    }

    @inline(__always)
    private func dispatch(data: UInt64, events: IOEvents) {
        let index = Int(truncatingIfNeeded: data & 0xFFFF_FFFF)
        guard index < slots.count else { return }
        let slot = slots[index]
        guard slot.generation == UInt32(truncatingIfNeeded: data >> 32), let handler = slot.handler else { return }
        handler.handleEvents(events)
    }

    private func runSoonQueue() {
        while !soon.isEmpty {
            swap(&soon, &spareSoon)
            for body in spareSoon { body() }
            spareSoon.removeAll(keepingCapacity: true)
        }
    }

    private func runDeferredFlushes() {
        while !deferredFlushes.isEmpty {
            swap(&deferredFlushes, &spareDeferredFlushes)
            for connection in spareDeferredFlushes { connection.performDeferredFlush() }
            spareDeferredFlushes.removeAll(keepingCapacity: true)
            runSoonQueue()
        }
    }

    private func runTasks() {
        inbox.withLock { inbox in
            swap(&inbox.tasks, &spareTasks)
            inbox.wakeArmed = false
        }
        for task in spareTasks { task() }
        spareTasks.removeAll(keepingCapacity: true)
        runSoonQueue()
    }

    private func drainCounter(_ fd: Int32) {
        var counter: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &counter) { Glibc.read(fd, $0.baseAddress, 8) }
    }

    /// Whether a pass left work for the next one (re-deliveries, soon-queue entries or deferred flushes), so the
    /// loop must not block.
    private var hasQueuedWork: Bool { !redeliveries.isEmpty || !soon.isEmpty || !deferredFlushes.isEmpty }

    /// Milliseconds the blocking driver may sleep: 0 with work queued, the next timer (rounded up), or forever.
    private func blockingTimeout() -> Int32 {
        if hasQueuedWork { return 0 }
        guard let earliest = timers.earliestDeadline() else { return -1 }
        let now = MonotonicClock.nanoseconds()
        guard earliest > now else { return 0 }
        let ms = (earliest - now + 999_999) / 1_000_000
        return Int32(min(ms, UInt64(Int32.max)))
    }

    // MARK: Drivers

    private func start(name: String) {
        switch driver {
        case .dispatchSource:
            let source = DispatchSource.makeReadSource(fileDescriptor: epollFD, queue: queue)
            source.setEventHandler { [unowned self] in self.dispatchSourceFired() }
            source.setCancelHandler { [self] in
                self.closeDescriptors()
                self.stopped.signal()
            }
            // Store before resume: a handler may run as soon as the source is resumed.
            self.source = source
            source.resume()
        case .blockingThread:
            let loop = self
            LoopThread.start(name: name) { loop.runBlocking() }
        }
    }

    private func dispatchSourceFired() {
        loopThread.store(UInt(pthread_self()), ordering: .relaxed)
        defer { loopThread.store(0, ordering: .relaxed) }
        // The source fired, so the first pass polls. Later passes wait up to `idleLingerMilliseconds` in
        // `epoll_wait` when nothing is queued: under load the next events arrive within microseconds and are taken
        // on this thread, instead of the thread going back to Dispatch and the next events costing a wake-up of
        // libdispatch's epoll thread, a hand-over to a pool thread (two context switches) and a re-arm of the
        // source. Once the set stays quiet for the linger time the thread returns to Dispatch. After
        // `maximumPassesPerDispatchWake` passes the loop yields through an async re-fire, so other work on the
        // queue runs.
        var timeout: Int32 = 0
        for _ in 0..<Self.maximumPassesPerDispatchWake {
            let ready = pollThenWait(timeoutMilliseconds: timeout)
            if isStopping { return finishStop() }
            let workQueued = hasQueuedWork
            if ready == 0, !workQueued, timeout == idleLingerMilliseconds { return }
            timeout = workQueued || ready == maximumEventsPerWake ? 0 : idleLingerMilliseconds
        }
        queue.async { [unowned self] in self.dispatchSourceFired() }
    }

    /// A pass that may block (`timeoutMilliseconds` ≠ 0), preceded by polling passes for up to the busy-poll window;
    /// a pass that does not block (0) is just that pass.
    ///
    /// Returns the ready count of the pass that found events, queued work or a stop while polling; otherwise that of
    /// the blocking pass. Each outcome adjusts the window (`BusyPollWindow`); with busy polling off this is just the
    /// blocking pass, without clock reads.
    @discardableResult
    private func pollThenWait(timeoutMilliseconds: Int32) -> Int {
        guard busyPoll.isEnabled, timeoutMilliseconds != 0 else { return runPass(timeoutMilliseconds: timeoutMilliseconds) }
        let window = busyPoll.currentNanoseconds
        if window > 0 {
            let start = MonotonicClock.nanoseconds()
            while true {
                let ready = runPass(timeoutMilliseconds: 0)
                if ready > 0 || hasQueuedWork || isStopping {
                    busyPoll.pollEnded(foundEvents: true)
                    return ready
                }
                if MonotonicClock.nanoseconds() &- start >= window {
                    busyPoll.pollEnded(foundEvents: false)
                    break
                }
            }
        }
        let start = MonotonicClock.nanoseconds()
        let ready = runPass(timeoutMilliseconds: timeoutMilliseconds)
        busyPoll.blockingWaitEnded(afterNanoseconds: MonotonicClock.nanoseconds() &- start, foundEvents: ready > 0)
        return ready
    }

    /// Passes one Dispatch wake-up runs before yielding the queue with an async re-fire.
    private static let maximumPassesPerDispatchWake = 1024

    private func runBlocking() {
        loopThread.store(UInt(pthread_self()), ordering: .relaxed)
        while !isStopping {
            pollThenWait(timeoutMilliseconds: blockingTimeout())
        }
        finishStop()
        loopThread.store(0, ordering: .relaxed)
        closeDescriptors()
        stopped.signal()
    }

    // MARK: Shutdown

    /// Stops the loop: registered handlers get `eventLoopWillShutDown()`, pending timers are dropped, the driver
    /// stops and the loop's descriptors are closed. Blocks until done; call from any thread except the loop's own.
    public func shutdown() {
        precondition(!inEventLoop, "EventLoop.shutdown() called on its own loop would deadlock")
        let first = inbox.withLock { inbox -> Bool in
            guard !inbox.isShutDown else { return false }
            inbox.tasks.append { [unowned self] in self.isStopping = true }
            inbox.isShutDown = true
            inbox.wakeArmed = true
            return true
        }
        guard first else { return }
        wake()
        stopped.wait()
    }

    private func finishStop() {
        for slot in slots {
            slot.handler?.eventLoopWillShutDown()
        }
        runSoonQueue()
        deferredFlushes.removeAll()
        timers.removeAll()
        slots.removeAll()
        freeSlots.removeAll()
        redeliveries.removeAll()
        if driver == .dispatchSource {
            source?.cancel()
            source = nil
        }
    }
}
