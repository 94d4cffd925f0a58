import Dispatch
import Logging
import NetIO
import Synchronization
import TraceCore

/// The running reverse proxy: one `Worker` per event loop, all listening on the same address (SO_REUSEPORT).
///
/// Created and controlled from any thread; every call reaches the workers through their loops' message queues.
public final class ProxyServer: Sendable {
    private let group: EventLoopGroup
    private let workers: [Worker]
    /// The bound listening address (with the real port when 0 was asked for).
    public let localAddress: SocketAddress
    private let limits: ProxyLimits
    private let logger: Logger
    /// Counters per worker.
    public let statistics: [WorkerStatistics]

    /// Binds the listeners and starts the workers.
    ///
    /// - Parameters:
    ///   - configuration: the resolved configuration (listen address, workers, limits).
    ///   - routes: the resolved route table.
    ///   - driver: how each event loop waits for events.
    /// - Throws: `IOError` when the address cannot be bound.
    ///   - pipeline: where spans go; nil (or a disabled pipeline) turns tracing off.
    public init(configuration: GatewayConfiguration, routes: ResolvedRoutes, logger: Logger,
                pipeline: TracingPipeline? = nil, driver: EventLoopDriver = .dispatchSource) throws {
        let count = configuration.workers ?? EventLoopGroup.affinityCPUCount
        let group = try EventLoopGroup(
            count: count, driver: driver, busyPollNanoseconds: UInt64(configuration.busyPoll.nanoseconds))
        var address = try SocketAddress(host: configuration.listen.host == "localhost" ? "127.0.0.1" : configuration.listen.host,
                                        port: UInt16(configuration.listen.port))
        var listeners: [TCPListener] = []
        do {
            for _ in 0..<count {
                let listener = try TCPListener(address: address, backlog: 1024, reusePort: true)
                // Port 0: the first bind picks the port; the others share it.
                address = listener.localAddress
                listeners.append(listener)
            }
        } catch {
            for listener in listeners { listener.close() }
            group.shutdown()
            throw error
        }
        let limits = configuration.limits
        var workers: [Worker] = []
        var statistics: [WorkerStatistics] = []
        for (i, loop) in group.loops.enumerated() {
            let stats = WorkerStatistics()
            statistics.append(stats)
            var workerLogger = logger
            workerLogger[metadataKey: "worker"] = "\(i)"
            // WorkerTracing is loop-confined: built here, then used only on the worker's loop.
            let tracing = pipeline.flatMap { $0.isEnabled ? WorkerTracing(pipeline: $0, options: configuration.tracing, loop: loop) : nil }
            workers.append(Worker(index: i, loop: loop, listener: listeners[i], routes: routes, limits: limits,
                                  logger: workerLogger, statistics: stats, tracing: tracing))
        }
        self.group = group
        self.workers = workers
        self.localAddress = address
        self.limits = limits
        self.logger = logger
        self.statistics = statistics
        let perWorker = max(1, limits.maxConnections / count)
        let failures = FailureList()
        let started = DispatchGroup()
        for worker in workers {
            started.enter()
            worker.loop.execute {
                do {
                    try worker.start(maxConnections: perWorker)
                } catch {
                    failures.append("\(error)")
                }
                started.leave()
            }
        }
        started.wait()
        let errors = failures.all
        if !errors.isEmpty {
            group.shutdown()
            throw ProxyServerError.startFailed(errors.joined(separator: "; "))
        }
    }

    /// Installs a new route table on every worker; connections and exchanges in flight are kept.
    public func reload(routes: ResolvedRoutes) {
        for worker in workers {
            worker.loop.execute { worker.replaceRoutes(routes) }
        }
    }

    /// Stops accepting, lets requests in flight finish for up to `limits.drain_timeout`, closes the rest and stops
    /// the loops. Blocks the calling thread until done.
    public func drainAndStop() {
        let drained = DispatchGroup()
        for worker in workers {
            drained.enter()
            worker.loop.execute {
                worker.drain { drained.leave() }
            }
        }
        let deadline = DispatchTime.now() + .nanoseconds(Int(clamping: limits.drainTimeout.nanoseconds))
        if drained.wait(timeout: deadline) == .timedOut {
            logger.warning("drain_timeout passed with requests in flight; closing them")
            for worker in workers {
                worker.loop.execute { worker.forceClose() }
            }
            _ = drained.wait(timeout: .now() + .seconds(2))
        }
        group.shutdown()
    }

    /// Total requests completed across workers.
    public var requestsCompleted: Int {
        statistics.reduce(0) { $0 + $1.requestsCompleted.load(ordering: .relaxed) }
    }
}

/// Start-up errors collected from the workers' loops (guarded by a pthread mutex TSan understands).
private final class FailureList: @unchecked Sendable {  // `items` is guarded by `lock`.
    private let lock = ConditionLock()
    private var items: [String] = []

    func append(_ item: String) { lock.withLock { items.append(item) } }
    var all: [String] { lock.withLock { items } }
}

/// Why the proxy could not start.
public enum ProxyServerError: Error, CustomStringConvertible {
    /// A worker failed to start its listener.
    case startFailed(String)

    public var description: String {
        switch self {
        case .startFailed(let reason): return "cannot start workers: \(reason)"
        }
    }
}
