import Dispatch
import IOCore
@testable import NetIO
import XCTest

/// A thread-safe value box for results reported from loop callbacks to the test thread.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: LockedValue<Value>
    init(_ value: Value) { mutex = LockedValue(value) }
    func withValue<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
    var value: Value { mutex.withLock { $0 } }
}

/// Signals the test thread from a loop.
final class Signal: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    func fire() { semaphore.signal() }
    /// Waits up to `seconds`; returns false on timeout.
    func wait(seconds: Double = 10) -> Bool {
        semaphore.wait(timeout: .now() + seconds) == .success
    }
}

/// Runs `body` on `loop` and waits for its result.
func onLoop<T: Sendable>(_ loop: EventLoop, _ body: @escaping @Sendable () throws -> T) throws -> T {
    let result = Locked<Result<T, any Error>?>(nil)
    let done = Signal()
    loop.execute {
        let r = Result { try body() }
        result.withValue { $0 = r }
        done.fire()
    }
    guard done.wait() else { throw IOError(.epollWait, errno: ETIMEDOUT) }
    return try result.value!.get()
}

/// Server side that echoes everything back and closes on EOF after flushing.
final class EchoHandler: ConnectionHandler {
    func connection(_ connection: TCPConnection<EchoHandler>, didRead bytes: UnsafeRawBufferPointer) {
        connection.write(bytes: bytes)
        connection.flush()
    }

    func connection(_ connection: TCPConnection<EchoHandler>, didCloseWith error: IOError?) {}
}

/// Client side that sends a payload on connect and collects what comes back.
final class CollectingHandler: ConnectionHandler {
    let payload: [ByteBuffer]
    let expected: Int
    let shutdownAfterSend: Bool
    let received: Locked<[UInt8]>
    let closed: Locked<IOError??>
    let done: Signal
    var eofSeen: Locked<Bool>

    init(payload: [ByteBuffer], expected: Int, shutdownAfterSend: Bool = false,
         received: Locked<[UInt8]>, closed: Locked<IOError??>, eofSeen: Locked<Bool> = Locked(false), done: Signal) {
        self.payload = payload
        self.expected = expected
        self.shutdownAfterSend = shutdownAfterSend
        self.received = received
        self.closed = closed
        self.eofSeen = eofSeen
        self.done = done
    }

    func connectionDidConnect(_ connection: TCPConnection<CollectingHandler>) {
        for buffer in payload { connection.write(buffer) }
        connection.flush()
        if shutdownAfterSend { connection.shutdownOutput() }
    }

    func connection(_ connection: TCPConnection<CollectingHandler>, didRead bytes: UnsafeRawBufferPointer) {
        let count = received.withValue { $0.append(contentsOf: bytes); return $0.count }
        if count >= expected, !shutdownAfterSend { connection.close() }
    }

    func connectionDidReadEOF(_ connection: TCPConnection<CollectingHandler>) {
        eofSeen.withValue { $0 = true }
        connection.close()
    }

    func connection(_ connection: TCPConnection<CollectingHandler>, didCloseWith error: IOError?) {
        closed.withValue { $0 = .some(error) }
        done.fire()
    }
}

/// Creates a loop per driver, runs `body`, and shuts the loop down.
func withEachDriver(_ body: (EventLoop, EventLoopDriver) throws -> Void) throws {
    for driver in EventLoopDriver.allCases {
        let loop = try EventLoop(driver: driver, name: "test.\(driver)")
        defer { loop.shutdown() }
        try body(loop, driver)
    }
}

/// Starts an echo listener on 127.0.0.1:0 on `loop` and returns its port.
func startEchoServer(on loop: EventLoop) throws -> UInt16 {
    try onLoop(loop) {
        let listener = try TCPListener(address: .loopbackIPv4(port: 0))
        try listener.start(on: loop) { socket in
            _ = TCPConnection.adopt(socket, on: loop, handler: EchoHandler())
        }
        return listener.localAddress.port
    }
}

/// Connects to the echo server on `port` from `loop`, sends `message` and returns what came back and how the
/// connection closed (nil when the echo did not complete within the wait).
func echoRoundTrip(
    on loop: EventLoop, port: UInt16, _ message: ByteBuffer
) throws -> (received: [UInt8], closed: IOError??)? {
    let received = Locked<[UInt8]>([])
    let closed = Locked<IOError??>(nil)
    let done = Signal()
    try onLoop(loop) {
        _ = TCPConnection.connect(
            to: .loopbackIPv4(port: port), on: loop,
            handler: CollectingHandler(payload: [message], expected: message.readableBytes,
                                       received: received, closed: closed, done: done))
    }
    guard done.wait() else { return nil }
    return (received.value, closed.value)
}

/// Schedules a timer `nanoseconds` ahead on `loop` (from another thread) and returns the clock readings when it was
/// scheduled and when it fired (nil when it did not fire within the wait).
func timerReadings(on loop: EventLoop, afterNanoseconds nanoseconds: UInt64) -> (scheduled: UInt64, fired: UInt64)? {
    let fired = Signal()
    let scheduled = MonotonicClock.nanoseconds()
    let firedAt = Locked<UInt64>(0)
    loop.execute {
        loop.scheduleTimer(afterNanoseconds: Int64(nanoseconds)) {
            firedAt.withValue { $0 = MonotonicClock.nanoseconds() }
            fired.fire()
        }
    }
    guard fired.wait() else { return nil }
    return (scheduled, firedAt.value)
}
