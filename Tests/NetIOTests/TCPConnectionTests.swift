import Glibc
import IOCore
@testable import NetIO
import XCTest

final class TCPConnectionTests: XCTestCase {
    func test_tcp_echo_roundTripsBytes() throws {
        try withEachDriver { loop, driver in
            let port = try startEchoServer(on: loop)
            let message = ByteBuffer(string: String(repeating: "hello echo ", count: 1000))
            let echo = try echoRoundTrip(on: loop, port: port, message)
            XCTAssertNotNil(echo, "\(driver)")
            XCTAssertEqual(ByteBuffer(bytes: echo?.received ?? []), message, "\(driver)")
            XCTAssertEqual(echo?.closed, .some(nil))
        }
    }

    func test_tcp_manySmallBuffers_writevCapStillDeliversInOrder() throws {
        try withEachDriver { loop, driver in
            let port = try startEchoServer(on: loop)
            let pieces = (0..<500).map { ByteBuffer(string: String(format: "%05d;", $0)) }
            let expected = pieces.reduce(into: [UInt8]()) { acc, piece in
                piece.withUnsafeReadableBytes { acc.append(contentsOf: $0) }
            }
            let received = Locked<[UInt8]>([])
            let closed = Locked<IOError??>(nil)
            let done = Signal()
            try onLoop(loop) {
                var configuration = ConnectionConfiguration()
                configuration.maximumIOVecsPerWrite = 7
                _ = TCPConnection.connect(
                    to: .loopbackIPv4(port: port), on: loop, configuration: configuration,
                    handler: CollectingHandler(payload: pieces, expected: expected.count,
                                               received: received, closed: closed, done: done))
            }
            XCTAssertTrue(done.wait(), "\(driver)")
            XCTAssertEqual(received.value, expected, "\(driver)")
        }
    }

    func test_pendingWrites_fillIOVecs_capsAtMaximumAndConsumesPartially() {
        let pool = BufferPool(bufferCapacity: 64)
        var pending = PendingWrites()
        for i in 0..<10 { pending.append(ByteBuffer(string: "abc\(i)")) }
        XCTAssertEqual(pending.byteCount, 40)
        let iovecs = UnsafeMutablePointer<iovec>.allocate(capacity: 4)
        defer { iovecs.deallocate() }
        let (count, bytes) = pending.fillIOVecs(iovecs, maximum: 4)
        XCTAssertEqual(count, 4)
        XCTAssertEqual(bytes, 16)
        pending.consume(6, pool: pool)
        XCTAssertEqual(pending.byteCount, 34)
        XCTAssertEqual(pending.bufferCount, 9)
        let (_, afterBytes) = pending.fillIOVecs(iovecs, maximum: 1)
        XCTAssertEqual(afterBytes, 2)  // "1" consumed partially: "c1" left
        pending.removeAll(pool: pool)
        XCTAssertTrue(pending.isEmpty)
    }

    func test_pendingWrites_consumeInSteps_returnsEveryBufferOnceAndKeepsTheRestInOrder() {
        // Partial writes (one buffer cut, several written in full, the front compacted), then the rest at once:
        // every buffer goes back to the pool exactly once and what is left always starts where the kernel stopped.
        let pool = BufferPool(bufferCapacity: 64)
        var pending = PendingWrites()
        var expected: [UInt8] = []
        for i in 0..<20 {
            var buffer = pool.take()
            buffer.writeString("b\(i % 10)")
            expected += Array("b\(i % 10)".utf8)
            pending.append(consume buffer)
        }
        let iovecs = UnsafeMutablePointer<iovec>.allocate(capacity: 64)
        defer { iovecs.deallocate() }
        func queued() -> [UInt8] {
            let (count, _) = pending.fillIOVecs(iovecs, maximum: 64)
            return (0..<count).flatMap { Array(UnsafeRawBufferPointer(start: iovecs[$0].iov_base, count: iovecs[$0].iov_len)) }
        }
        for step in [1, 1, 33, 2, 1] {
            pending.consume(step, pool: pool)
            expected.removeFirst(step)
            XCTAssertEqual(queued(), expected, "after consuming \(step)")
            XCTAssertEqual(pending.byteCount, expected.count)
        }
        XCTAssertEqual(pool.pooledCount, 19, "the buffers written in full (38 of 40 bytes), once each")
        pending.consume(pending.byteCount, pool: pool)
        XCTAssertTrue(pending.isEmpty)
        XCTAssertEqual(pending.bufferCount, 0)
        XCTAssertEqual(pool.pooledCount, 20)
        // The queue is reusable after the placeholders of the partial writes were dropped.
        pending.append(ByteBuffer(string: "next"))
        XCTAssertEqual(queued(), Array("next".utf8))
    }

    func test_pendingWrites_smallCopies_coalesceIntoOneBuffer() {
        let pool = BufferPool(bufferCapacity: 1024)
        var pending = PendingWrites()
        for _ in 0..<10 {
            "xyz".utf8.withContiguousStorageIfAvailable { pending.appendCopy(of: UnsafeRawBufferPointer($0), pool: pool) }
        }
        XCTAssertEqual(pending.bufferCount, 1)
        XCTAssertEqual(pending.byteCount, 30)
        pending.consume(30, pool: pool)
        XCTAssertEqual(pool.pooledCount, 1)
    }

    func test_pendingWrites_handedOverBuffer_takesFollowingCopiesInItsRoom() {
        let pool = BufferPool(bufferCapacity: 1024)
        var pending = PendingWrites()
        var head = pool.take()
        head.writeString("HTTP/1.1 200 OK\r\n\r\n")
        pending.append(consume head, acceptsCopies: true)
        "body".utf8.withContiguousStorageIfAvailable { pending.appendCopy(of: UnsafeRawBufferPointer($0), pool: pool) }
        XCTAssertEqual(pending.bufferCount, 1, "the body went into the head's room, no second buffer")
        XCTAssertEqual(pending.byteCount, 23)
        let iovecs = UnsafeMutablePointer<iovec>.allocate(capacity: 2)
        defer { iovecs.deallocate() }
        XCTAssertEqual(pending.fillIOVecs(iovecs, maximum: 2).bytes, 23)
        XCTAssertEqual(
            Array(UnsafeRawBufferPointer(start: iovecs[0].iov_base, count: iovecs[0].iov_len)),
            Array("HTTP/1.1 200 OK\r\n\r\nbody".utf8))
        pending.consume(23, pool: pool)
        XCTAssertEqual(pool.pooledCount, 1, "the handed-over buffer went back to the pool")
    }

    func test_pendingWrites_bufferNotHandedOver_isNeverAppendedTo() {
        let pool = BufferPool(bufferCapacity: 1024)
        var pending = PendingWrites()
        var kept = ByteBuffer(capacity: 1024)
        kept.writeString("shared")
        pending.append(kept)
        "tail".utf8.withContiguousStorageIfAvailable { pending.appendCopy(of: UnsafeRawBufferPointer($0), pool: pool) }
        XCTAssertEqual(pending.bufferCount, 2)
        XCTAssertEqual(kept, ByteBuffer(string: "shared"))
    }

    func test_tcp_halfClose_peerStillReplies() throws {
        try withEachDriver { loop, driver in
            // The echo server answers then closes on EOF (default handler): FIN from us must not lose its reply.
            let port = try startEchoServer(on: loop)
            let received = Locked<[UInt8]>([])
            let closed = Locked<IOError??>(nil)
            let eof = Locked(false)
            let done = Signal()
            try onLoop(loop) {
                _ = TCPConnection.connect(
                    to: .loopbackIPv4(port: port), on: loop,
                    handler: CollectingHandler(payload: [ByteBuffer(string: "ping")], expected: 4,
                                               shutdownAfterSend: true, received: received, closed: closed,
                                               eofSeen: eof, done: done))
            }
            XCTAssertTrue(done.wait(), "\(driver)")
            XCTAssertEqual(received.value, Array("ping".utf8), "\(driver)")
            XCTAssertTrue(eof.value, "\(driver)")
            XCTAssertEqual(closed.value, .some(nil))
        }
    }

    func test_tcp_connectToClosedPort_reportsConnectionRefused() throws {
        try withEachDriver { loop, driver in
            let port = try onLoop(loop) { () -> UInt16 in
                let listener = try TCPListener(address: .loopbackIPv4(port: 0), reusePort: false)
                defer { listener.close() }
                return listener.localAddress.port
            }
            let closed = Locked<IOError??>(nil)
            let done = Signal()
            try onLoop(loop) {
                _ = TCPConnection.connect(
                    to: .loopbackIPv4(port: port), on: loop,
                    handler: CollectingHandler(payload: [], expected: 1, received: Locked([]), closed: closed,
                                               done: done))
            }
            XCTAssertTrue(done.wait(), "\(driver)")
            XCTAssertEqual(closed.value, .some(IOError(.connect, errno: ECONNREFUSED)), "\(driver)")
        }
    }

    func test_tcp_connectToFullBacklog_timesOut() throws {
        try withEachDriver { loop, driver in
            // A listener with backlog 0 that never accepts: once its queue is full the kernel drops SYNs,
            // so later connects hang until our timer fires.
            let listener = try TCPListener(address: .loopbackIPv4(port: 0), backlog: 0, reusePort: false)
            defer { listener.close() }
            let port = listener.localAddress.port
            let results = Locked<[IOError?]>([])
            let done = Signal()
            let attempts = 4
            try onLoop(loop) {
                for _ in 0..<attempts {
                    final class Recorder: ConnectionHandler {
                        let results: Locked<[IOError?]>
                        let done: Signal
                        let attempts: Int
                        init(results: Locked<[IOError?]>, done: Signal, attempts: Int) {
                            self.results = results
                            self.done = done
                            self.attempts = attempts
                        }
                        func connectionDidConnect(_ connection: TCPConnection<Recorder>) {
                            finish(nil)
                            connection.pauseReading()
                        }
                        func connection(_ connection: TCPConnection<Recorder>, didRead bytes: UnsafeRawBufferPointer) {}
                        func connection(_ connection: TCPConnection<Recorder>, didCloseWith error: IOError?) {
                            if error != nil { finish(error) }
                        }
                        func finish(_ error: IOError?) {
                            let n = results.withValue { $0.append(error); return $0.count }
                            if n == attempts { done.fire() }
                        }
                    }
                    _ = TCPConnection.connect(
                        to: .loopbackIPv4(port: port), on: loop, timeoutNanoseconds: 300_000_000,
                        handler: Recorder(results: results, done: done, attempts: attempts))
                }
            }
            XCTAssertTrue(done.wait(), "\(driver)")
            XCTAssertTrue(results.value.contains(IOError(.connect, errno: ETIMEDOUT)), "\(driver): \(results.value)")
        }
    }

    func test_listener_portZero_reportsKernelChosenPort() throws {
        let listener = try TCPListener(address: .loopbackIPv4(port: 0))
        defer { listener.close() }
        XCTAssertNotEqual(listener.localAddress.port, 0)
        XCTAssertEqual(listener.localAddress.host, "127.0.0.1")
    }

    func test_listener_maximumConnections_pausesAcceptingUntilClose() throws {
        try withEachDriver { loop, driver in
            let accepted = Locked(0)
            let listenerBox = Locked<UInt16>(0)
            final class Holder: @unchecked Sendable {  // touched only on `loop`
                var listener: TCPListener?
            }
            let holder = Holder()
            try onLoop(loop) {
                let listener = try TCPListener(address: .loopbackIPv4(port: 0))
                try listener.start(on: loop, maximumConnections: 1) { socket in
                    accepted.withValue { $0 += 1 }
                    _ = socket  // dropped: closed immediately, but still counted open until reported
                }
                holder.listener = listener
                listenerBox.withValue { $0 = listener.localAddress.port }
            }
            let port = listenerBox.value
            let done = Signal()
            try onLoop(loop) {
                for _ in 0..<2 {
                    _ = TCPConnection.connect(
                        to: .loopbackIPv4(port: port), on: loop,
                        handler: CollectingHandler(payload: [], expected: .max, received: Locked([]),
                                                   closed: Locked(nil), done: done))
                }
            }
            // The first connection is accepted (and dropped, so its client sees EOF); the second waits in the backlog.
            XCTAssertTrue(done.wait(), "\(driver)")
            usleep(50_000)
            XCTAssertEqual(accepted.value, 1, "\(driver)")
            try onLoop(loop) { holder.listener?.connectionDidClose() }
            XCTAssertTrue(done.wait(), "\(driver)")
            XCTAssertEqual(accepted.value, 2, "\(driver)")
            try onLoop(loop) { holder.listener?.close() }
        }
    }

    func test_tcp_largePayloadToSlowReader_pendingBytesStayBoundedByWatermark() throws {
        try withEachDriver { loop, driver in
            let total = 50 * 1024 * 1024
            let chunk = 64 * 1024
            let maxPending = Locked(0)
            let receivedCount = Locked(0)
            let done = Signal()

            /// Pushes `total` bytes, writing only while the connection reports writable.
            final class Producer: ConnectionHandler {
                let total: Int
                let chunk: ByteBuffer
                var sent = 0
                let maxPending: Locked<Int>
                init(total: Int, chunk: Int, maxPending: Locked<Int>) {
                    self.total = total
                    self.chunk = ByteBuffer(bytes: [UInt8](repeating: 0x61, count: chunk))
                    self.maxPending = maxPending
                }
                func pump(_ connection: TCPConnection<Producer>) {
                    while connection.isWritable, sent < total {
                        connection.write(chunk)
                        sent += chunk.readableBytes
                        let pending = connection.pendingWriteBytes
                        maxPending.withValue { $0 = max($0, pending) }
                    }
                    connection.flush()
                    if sent >= total { connection.close(afterFlushing: true) }
                }
                func connection(_ connection: TCPConnection<Producer>, didRead bytes: UnsafeRawBufferPointer) {
                    pump(connection)  // the client sends one byte to start
                }
                func connection(_ connection: TCPConnection<Producer>, writabilityChanged isWritable: Bool) {
                    if isWritable { pump(connection) }
                }
                func connection(_ connection: TCPConnection<Producer>, didCloseWith error: IOError?) {}
            }

            /// Reads slowly: pauses for 1 ms after every 4 MiB.
            final class SlowReader: ConnectionHandler {
                let received: Locked<Int>
                let done: Signal
                var sinceBreak = 0
                init(received: Locked<Int>, done: Signal) {
                    self.received = received
                    self.done = done
                }
                func connectionDidConnect(_ connection: TCPConnection<SlowReader>) {
                    connection.writeAndFlush(ByteBuffer(string: "go"))
                }
                func connection(_ connection: TCPConnection<SlowReader>, didRead bytes: UnsafeRawBufferPointer) {
                    received.withValue { $0 += bytes.count }
                    sinceBreak += bytes.count
                    if sinceBreak >= 4 * 1024 * 1024 {
                        sinceBreak = 0
                        connection.pauseReading()
                        connection.loop.scheduleTimer(afterNanoseconds: 1_000_000) { connection.resumeReading() }
                    }
                }
                func connection(_ connection: TCPConnection<SlowReader>, didCloseWith error: IOError?) {
                    done.fire()
                }
            }

            let configuration = ConnectionConfiguration()
            try onLoop(loop) {
                let listener = try TCPListener(address: .loopbackIPv4(port: 0))
                try listener.start(on: loop) { socket in
                    _ = TCPConnection.adopt(socket, on: loop, configuration: configuration,
                                            handler: Producer(total: total, chunk: chunk, maxPending: maxPending))
                    listener.close()
                }
                _ = TCPConnection.connect(to: listener.localAddress, on: loop,
                                          handler: SlowReader(received: receivedCount, done: done))
            }
            XCTAssertTrue(done.wait(seconds: 60), "\(driver)")
            XCTAssertEqual(receivedCount.value, total, "\(driver)")
            XCTAssertLessThanOrEqual(maxPending.value, configuration.highWatermark + chunk, "\(driver)")
        }
    }

    func test_tcp_flushesInOnePass_areSentTogetherAtThePassEnd_inOrder() throws {
        try withEachDriver { loop, driver in
            let port = try startEchoServer(on: loop)
            let queuedAfterFlushes = Locked<[Int]>([])
            let queuedNextPass = Locked<Int>(-1)
            let received = Locked<[UInt8]>([])
            let done = Signal()
            try onLoop(loop) {
                _ = TCPConnection.connect(
                    to: .loopbackIPv4(port: port), on: loop,
                    handler: ThreeFlushesHandler(
                        queuedAfterFlushes: queuedAfterFlushes, queuedNextPass: queuedNextPass, received: received,
                        done: done))
            }
            XCTAssertTrue(done.wait(), "\(driver)")
            XCTAssertEqual(Array(received.value), Array("abc".utf8), "\(driver)")
            XCTAssertEqual(queuedAfterFlushes.value, [1, 2, 3], "flush() waits for the end of the pass (\(driver))")
            XCTAssertEqual(queuedNextPass.value, 0, "the deferred flush ran before the pass-end observers (\(driver))")
        }
    }

    func test_deferredFlushes_runOncePerRequest_beforePassEndObservers() throws {
        try withEachDriver { loop, driver in
            let order = Locked<[String]>([])
            let done = Signal()
            try onLoop(loop) {
                onFirstPassEnd(of: loop) {
                    order.withValue { $0.append("observer") }
                    done.fire()
                }
                loop.deferFlush(FlushRecorder("a", order))
                loop.deferFlush(FlushRecorder("b", order))
                order.withValue { $0.append("task") }
            }
            XCTAssertTrue(done.wait(), "\(driver)")
            XCTAssertEqual(order.value, ["task", "a", "b", "observer"], "\(driver)")
        }
    }

    func test_deferredFlushes_inALongPass_runAfterEveryBatchOfEvents() throws {
        try withEachDriver { loop, driver in
            let count = 100  // one pass: under the loop's 256 events per wake-up, over its 64 events per flush
            XCTAssertEqual(loop.eventsPerDeferredFlush, 64)
            let order = Locked<[String]>([])
            let done = Signal()
            let pipes = try onLoop(loop) { () throws -> [(Int32, Int32, Registration)] in
                let recorder = ReadyPipeRecorder(loop: loop, order: order, done: done, expectedFlushes: count)
                return try (0..<count).map { _ in
                    var ends: [Int32] = [0, 0]
                    XCTAssertEqual(pipe(&ends), 0)
                    var byte: UInt8 = 1
                    XCTAssertEqual(write(ends[1], &byte, 1), 1)  // readable before the next wait
                    return (ends[0], ends[1], try loop.register(fd: ends[0], events: .readable, handler: recorder))
                }
            }
            XCTAssertTrue(done.wait(), "\(driver)")
            try onLoop(loop) {
                for (readEnd, writeEnd, registration) in pipes {
                    loop.deregister(registration)
                    close(readEnd)
                    close(writeEnd)
                }
            }
            let recorded = order.value
            XCTAssertEqual(recorded.count, 2 * count, "\(driver)")
            XCTAssertEqual(recorded.firstIndex(of: "flush"), 64, "the first 64 events' flushes ran before the 65th event (\(driver))")
            XCTAssertEqual(Array(recorded[64..<128]), Array(repeating: "flush", count: 64), "\(driver)")
            XCTAssertEqual(recorded.suffix(72), Array(repeating: "event", count: 36) + Array(repeating: "flush", count: 36), "\(driver)")
        }
    }

    func test_deferredFlush_requestedByPassEndObserver_runsInTheSamePass() throws {
        try withEachDriver { loop, driver in
            let order = Locked<[String]>([])
            let done = Signal()
            try onLoop(loop) {
                onFirstPassEnd(of: loop) {
                    order.withValue { $0.append("observer") }
                    loop.deferFlush(FlushRecorder("flush", order, firing: done))
                    // A pass starting later would record this before the flush.
                    loop.runSoon { order.withValue { $0.append("next work") } }
                }
            }
            // Nothing else happens on the loop: a flush left for a later pass would never run (the stall this
            // guards against) or run after the soon-queued work.
            XCTAssertTrue(done.wait(), "\(driver)")
            XCTAssertEqual(order.value.prefix(2), ["observer", "flush"], "\(driver)")
        }
    }
}

/// Records its event and then its deferred flush in a shared order (a pipe's read end with one byte waiting).
final class ReadyPipeRecorder: EventHandler, DeferredFlushing {
    let loop: EventLoop
    let order: Locked<[String]>
    let done: Signal
    let expectedFlushes: Int

    init(loop: EventLoop, order: Locked<[String]>, done: Signal, expectedFlushes: Int) {
        self.loop = loop
        self.order = order
        self.done = done
        self.expectedFlushes = expectedFlushes
    }

    func handleEvents(_ events: IOEvents) {
        order.withValue { $0.append("event") }
        loop.deferFlush(self)
    }

    func performDeferredFlush() {
        let flushes = order.withValue { order in
            order.append("flush")
            return order.count(where: { $0 == "flush" })
        }
        if flushes == expectedFlushes { done.fire() }
    }

    func eventLoopWillShutDown() {}
}

/// Runs `body` at the end of the loop's current pass only (call on the loop thread).
func onFirstPassEnd(of loop: EventLoop, _ body: @escaping () -> Void) {
    var ran = false
    loop.addPassEndObserver {
        guard !ran else { return }
        ran = true
        body()
    }
}

/// Records its name in `order` when the loop runs its deferred flush, then fires `firing` if given.
final class FlushRecorder: DeferredFlushing {
    let name: String
    let order: Locked<[String]>
    let firing: Signal?

    init(_ name: String, _ order: Locked<[String]>, firing: Signal? = nil) {
        self.name = name
        self.order = order
        self.firing = firing
    }

    func performDeferredFlush() {
        order.withValue { $0.append(name) }
        firing?.fire()
    }
}

/// Writes "a", "b", "c" with a flush after each within one pass and records what is still queued.
final class ThreeFlushesHandler: ConnectionHandler {
    let queuedAfterFlushes: Locked<[Int]>
    let queuedNextPass: Locked<Int>
    let received: Locked<[UInt8]>
    let done: Signal

    init(queuedAfterFlushes: Locked<[Int]>, queuedNextPass: Locked<Int>, received: Locked<[UInt8]>, done: Signal) {
        self.queuedAfterFlushes = queuedAfterFlushes
        self.queuedNextPass = queuedNextPass
        self.received = received
        self.done = done
    }

    func connectionDidConnect(_ connection: TCPConnection<ThreeFlushesHandler>) {
        for letter in ["a", "b", "c"] {
            connection.write(ByteBuffer(string: letter))
            connection.flush()
            let queued = connection.pendingWriteBytes
            queuedAfterFlushes.withValue { $0.append(queued) }
        }
        let queuedNextPass = self.queuedNextPass
        onFirstPassEnd(of: connection.loop) { queuedNextPass.withValue { $0 = connection.pendingWriteBytes } }
    }

    func connection(_ connection: TCPConnection<ThreeFlushesHandler>, didRead bytes: UnsafeRawBufferPointer) {
        let count = received.withValue { $0.append(contentsOf: bytes); return $0.count }
        if count >= 3 { connection.close() }
    }

    func connection(_ connection: TCPConnection<ThreeFlushesHandler>, didCloseWith error: IOError?) {
        done.fire()
    }
}
