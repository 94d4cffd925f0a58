import Dispatch
import Glibc
import IOCore
import NetIO

/// A fixed-response HTTP/1.1 server on NetIO: every request (anything ending in CRLFCRLF) gets "hello".
///
/// It measures the I/O layer alone: accept, edge-triggered reads into the loop's scratch buffer, one shared
/// response buffer enqueued without copying, one send per read batch, keep-alive.
enum HelloServer {
    static let response = ByteBuffer(
        string: "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")

    static func run(port: UInt16, driver: EventLoopDriver, loops: Int) throws {
        let group = try EventLoopGroup(count: loops, driver: driver)
        let started = DispatchSemaphore(value: 0)
        for loop in group.loops {
            loop.execute {
                do {
                    let listener = try TCPListener(address: .loopbackIPv4(port: port))
                    try listener.start(on: loop) { socket in
                        _ = TCPConnection.adopt(socket, on: loop, handler: HelloConnection())
                    }
                    HelloListeners.keep(listener)
                } catch {
                    print("listen failed: \(error)")
                    exit(1)
                }
                started.signal()
            }
        }
        for _ in group.loops { started.wait() }
        print("hello listening on 127.0.0.1:\(port) driver=\(driver) loops=\(group.loops.count)")
    }
}

/// Keeps listeners alive; each is only touched on its own loop, the array only under the lock.
enum HelloListeners {
    nonisolated(unsafe) private static var listeners: [AnyObject] = []
    private static let lock = DispatchSemaphore(value: 1)

    static func keep(_ listener: AnyObject) {
        lock.wait()
        listeners.append(listener)
        lock.signal()
    }
}

/// Finds request ends (CRLFCRLF, possibly split across reads) and answers each with the shared response.
final class HelloConnection: ConnectionHandler {
    private var matched = 0

    func connection(_ connection: TCPConnection<HelloConnection>, didRead bytes: UnsafeRawBufferPointer) {
        var requests = 0
        var matched = self.matched
        for byte in bytes {
            switch (matched, byte) {
            case (0, 13), (2, 13): matched += 1
            case (1, 10): matched = 2
            case (3, 10):
                requests += 1
                matched = 0
            default: matched = byte == 13 ? 1 : 0
            }
        }
        self.matched = matched
        guard requests > 0 else { return }
        for _ in 0..<requests { connection.write(HelloServer.response) }
        connection.flush()
    }

    func connection(_ connection: TCPConnection<HelloConnection>, didCloseWith error: IOError?) {}
}
