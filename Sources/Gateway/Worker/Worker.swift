import IOCore
import Logging
import NetIO
import Synchronization

/// One worker: an event loop and everything it touches — its listener (SO_REUSEPORT), its client connections, its
/// backend pools and its timers (nghttpx's `Worker`).
///
/// Other threads reach a worker only through `loop.execute` (reload, drain, stop). All mutable state below is
/// touched only on `loop`, which is why the class may be `@unchecked Sendable`.
final class Worker: @unchecked Sendable {
    let index: Int
    let loop: EventLoop
    let limits: ProxyLimits
    let logger: Logger
    let listener: TCPListener
    /// The routes; replaced as a whole on reload.
    var routes: ResolvedRoutes
    /// The parser limits derived from `limits`.
    let parserLimits: HTTP1ParserLimits
    /// Buffers for serialized request heads, which an exchange keeps until its response is done (a retry sends them
    /// again): one per request in flight, so a pool of their own, of small buffers and deep enough for thousands of
    /// connections, keeps them from being freed and allocated again per request once the loop's I/O pool (256
    /// buffers of 16 KiB) runs dry. Heads that grew past 16 KiB are not kept.
    let requestHeadPool = BufferPool(bufferCapacity: 2 << 10, maximumPooled: 2048, maximumRetainedCapacity: 16 << 10)
    /// Backend pools by address.
    private var pools: [SocketAddress: BackendPool] = [:]
    /// Live client connections, for the timeout sweep and for draining (swap-remove by stored index).
    private var frontends: [FrontendConnection] = []
    /// A coarse monotonic clock, refreshed each sweep (200 ms): enough for timeouts, free to read.
    private(set) var coarseNow: UInt64 = MonotonicNanos.now()
    /// Set once draining starts: no new connections, no new keep-alive.
    private(set) var isStopping = false
    private var sweepTimer: TimerHandle?
    private var onDrained: (@Sendable () -> Void)?
    /// The `Via`/`X-Forwarded-Proto` scheme of the listener.
    let scheme: StaticString = "http"
    /// Counters read by tests and the admin listener.
    let statistics: WorkerStatistics
    /// This worker's span factory over the shared pipeline; nil when tracing is off.
    let tracing: WorkerTracing?

    static let sweepIntervalNanos: Int64 = 200_000_000

    init(index: Int, loop: EventLoop, listener: TCPListener, routes: ResolvedRoutes, limits: ProxyLimits,
         logger: Logger, statistics: WorkerStatistics, tracing: WorkerTracing?) {
        self.tracing = tracing
        self.index = index
        self.loop = loop
        self.listener = listener
        self.routes = routes
        self.limits = limits
        self.logger = logger
        self.statistics = statistics
        self.parserLimits = HTTP1ParserLimits(limits)
    }

    /// Starts accepting (call on `loop`).
    func start(maxConnections: Int) throws {
        loop.assertInEventLoop()
        try listener.start(on: loop, maximumConnections: maxConnections) { [unowned self] socket in
            self.accept(socket)
        }
        scheduleSweep()
        if let tracing {
            // Spans ended during a pass reach the exporter queue together, one lock per pass.
            // A strong reference to the factory, not a weak one to `tracing`: a weak reference would give the
            // worker's tracing object a side table and send every retain of it down the runtime's slow path.
            let factory = tracing.factory
            loop.addPassEndObserver { factory.flushEndedSpans() }
        }
    }

    private func accept(_ socket: consuming AcceptedSocket) {
        let peer = socket.peer
        let frontend = FrontendConnection(worker: self, peer: peer)
        guard let connection = TCPConnection.adopt(socket, on: loop, handler: frontend) else {
            listener.connectionDidClose()
            return
        }
        frontend.didOpen(connection)
        frontend.registryIndex = frontends.count
        frontends.append(frontend)
        statistics.connectionsAccepted.add(1, ordering: .relaxed)
    }

    /// Called by a client connection on the loop pass after it closed (see `FrontendConnection.didCloseWith`: the
    /// deferral keeps it alive while an exchange call that closed it is still on the stack).
    func frontendDidClose(_ frontend: FrontendConnection) {
        let i = frontend.registryIndex
        guard i >= 0, i < frontends.count, frontends[i] === frontend else { return }
        let last = frontends.removeLast()
        if i < frontends.count {
            frontends[i] = last
            last.registryIndex = i
        }
        frontend.registryIndex = -1
        listener.connectionDidClose()
        if isStopping { checkDrained() }
    }

    /// The pool for a backend address, created on first use.
    func pool(for address: SocketAddress) -> BackendPool {
        if let pool = pools[address] { return pool }
        let pool = BackendPool(address: address, worker: self)
        pools[address] = pool
        return pool
    }

    private func scheduleSweep() {
        // Workers live as long as the process; timers stop with the loop.
        sweepTimer = loop.scheduleTimer(afterNanoseconds: Self.sweepIntervalNanos) { [unowned(unsafe) self] in
            self.sweep()
        }
    }

    /// Checks every deadline; runs every 200 ms.
    private func sweep() {
        coarseNow = MonotonicNanos.now()
        var i = 0
        while i < frontends.count {
            let frontend = frontends[i]
            frontend.checkDeadlines(now: coarseNow)
            // A timeout may have closed it (and swapped another into slot i).
            if i < frontends.count && frontends[i] === frontend { i += 1 }
        }
        let idleCutoff = coarseNow &- limits.backendIdleTimeout.nanoseconds
        for pool in pools.values { pool.closeIdle(olderThan: idleCutoff) }
        if !(isStopping && frontends.isEmpty) { scheduleSweep() }
    }

    /// Installs new routes (SIGHUP); exchanges in flight keep the route they started with.
    func replaceRoutes(_ routes: ResolvedRoutes) {
        loop.assertInEventLoop()
        self.routes = routes
    }

    /// Stops accepting, closes idle connections, lets exchanges in flight finish, then calls `onDrained`.
    func drain(onDrained: @escaping @Sendable () -> Void) {
        loop.assertInEventLoop()
        isStopping = true
        self.onDrained = onDrained
        listener.close()
        for frontend in frontends where frontend.isIdle {
            frontend.close()
        }
        for pool in pools.values { pool.closeIdle(olderThan: 0, all: true) }
        checkDrained()
    }

    /// Closes every connection now (the drain deadline passed).
    func forceClose() {
        loop.assertInEventLoop()
        isStopping = true
        for frontend in frontends { frontend.close() }
        checkDrained()
    }

    private func checkDrained() {
        guard frontends.isEmpty, let onDrained else { return }
        self.onDrained = nil
        for pool in pools.values { pool.closeIdle(olderThan: 0, all: true) }
        if let sweepTimer { _ = loop.cancelTimer(sweepTimer) }
        onDrained()
    }
}

/// Counters a worker updates on its loop and other threads read (relaxed atomics).
public final class WorkerStatistics: Sendable {
    /// Client connections accepted.
    public let connectionsAccepted = Atomic<Int>(0)
    /// Requests whose response completed.
    public let requestsCompleted = Atomic<Int>(0)
    /// Backend attempts that were retried.
    public let backendRetries = Atomic<Int>(0)
    /// Responses the gateway generated because of a failure (4xx for bad requests, 502/503/504).
    public let gatewayErrors = Atomic<Int>(0)

    /// Creates zeroed counters.
    public init() {}
}
