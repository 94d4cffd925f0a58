import Logging
import NetIO

/// Keep-alive connections to one backend address, owned by one worker.
///
/// Idle connections are reused last-in first-out (the warmest socket first); at most `maxIdle` are kept, each for at
/// most the idle timeout; at most `maxOpen` exist at once. A backend that closes an idle connection simply removes it.
final class BackendPool {
    let address: SocketAddress
    unowned(unsafe) let worker: Worker  // Workers live until the process exits.
    private(set) var idle: [BackendConnection] = []
    private(set) var openCount = 0

    init(address: SocketAddress, worker: Worker) {
        self.address = address
        self.worker = worker
    }

    /// An idle connection, or nil when none is kept.
    func takeIdle() -> BackendConnection? {
        while let connection = idle.popLast() {
            if connection.isUsable { return connection }
        }
        return nil
    }

    /// Whether a new connection may be opened.
    var canOpen: Bool { openCount < worker.limits.backendMaxConnections }

    /// Opens a new connection for `exchange`.
    func open(for exchange: Exchange) -> BackendConnection {
        openCount += 1
        let backend = BackendConnection(pool: self)
        backend.attach(exchange)
        backend.connect()
        return backend
    }

    /// Returns a connection whose response completed cleanly; keeps it idle or closes it.
    func release(_ connection: BackendConnection) {
        guard !worker.isStopping, idle.count < worker.limits.backendMaxIdleConnections, connection.isUsable else {
            connection.close()
            return
        }
        // The exchange may have paused its reads for a slow client just before the response's last bytes: an idle
        // connection must read again (to notice the backend closing it), and the next exchange needs its response.
        connection.resumeReading()
        // The pass's clock reading (shared with the pass's other users): the idle timeout is counted in seconds.
        connection.idleSinceNanos = worker.loop.passTimeNanoseconds
        idle.append(connection)
    }

    /// Called by a connection when it closes, whether idle or busy.
    func connectionDidClose(_ connection: BackendConnection) {
        openCount -= 1
        if let i = idle.firstIndex(where: { $0 === connection }) { idle.remove(at: i) }
    }

    /// Closes idle connections older than the idle timeout (or all, when `all`).
    func closeIdle(olderThan cutoffNanos: UInt64, all: Bool = false) {
        var i = 0
        while i < idle.count {
            if all || idle[i].idleSinceNanos < cutoffNanos {
                let connection = idle.remove(at: i)
                connection.close()
            } else {
                i += 1
            }
        }
    }
}
