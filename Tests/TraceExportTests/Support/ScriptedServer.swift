import Dispatch
import Glibc
import HTTP2
import IOCore
import Synchronization

/// A blocking test server on 127.0.0.1 with its own thread: HTTP/1.1 (one canned answer per request, chosen by a
/// script) or h2c (an `HTTP2Session` in server role). Counts connections and requests.
final class ScriptedServer: @unchecked Sendable {  // state guarded by `state` (a Mutex); fd owned by the thread
    enum Mode { case http1, http2 }

    /// What to do with request number n (0-based).
    enum Answer: Sendable {
        case http1(status: Int, headers: [(String, String)], body: [UInt8])
        case grpc(status: Int, message: String, trailersOnly: Bool)
        case silence  // never answer
    }

    struct State {
        var connections = 0
        var requests: [[UInt8]] = []
        var requestHeaders: [[(String, String)]] = []
    }

    let port: UInt16
    private let fd: Int32
    private let mode: Mode
    private let script: @Sendable (Int) -> Answer
    let state = Mutex(State())
    private let stopped = Atomic<Bool>(false)

    init(mode: Mode, script: @escaping @Sendable (Int) -> Answer) {
        self.mode = mode
        self.script = script
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(fd, 16)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = UInt16(bigEndian: addr.sin_port)
        self.fd = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    var connections: Int { state.withLock { $0.connections } }
    var requestCount: Int { state.withLock { $0.requests.count } }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            let client = accept(fd, nil, nil)
            if client < 0 { return }
            state.withLock { $0.connections += 1 }
            let t = Thread { [self] in
                switch mode {
                case .http1: serveHTTP1(client)
                case .http2: serveHTTP2(client)
                }
                close(client)
            }
            t.start()
        }
    }

    private func readSome(_ fd: Int32) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        return Array(buffer.prefix(n))
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    private func serveHTTP1(_ fd: Int32) {
        var pending: [UInt8] = []
        while true {
            // Read one request: head, then Content-Length bytes.
            var headEnd: Int?
            while headEnd == nil {
                if let end = find(pending, Array("\r\n\r\n".utf8)) { headEnd = end + 4; break }
                guard let more = readSome(fd) else { return }
                pending += more
            }
            let head = String(decoding: pending[..<headEnd!], as: UTF8.self)
            var length = 0
            var headers: [(String, String)] = []
            for line in head.split(separator: "\r\n").dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = parts[0].lowercased()
                let value = parts[1].drop { $0 == " " }
                headers.append((name, String(value)))
                if name == "content-length" { length = Int(value) ?? 0 }
            }
            while pending.count < headEnd! + length {
                guard let more = readSome(fd) else { return }
                pending += more
            }
            let body = Array(pending[headEnd!..<headEnd! + length])
            pending.removeFirst(headEnd! + length)
            let index = state.withLock { s -> Int in
                s.requests.append(body)
                s.requestHeaders.append(headers)
                return s.requests.count - 1
            }
            switch script(index) {
            case .http1(let status, let extra, let responseBody):
                var text = "HTTP/1.1 \(status) X\r\ncontent-length: \(responseBody.count)\r\n"
                for (n, v) in extra { text += "\(n): \(v)\r\n" }
                text += "\r\n"
                writeAll(fd, Array(text.utf8) + responseBody)
            case .silence:
                while readSome(fd) != nil {}
                return
            case .grpc:
                return
            }
        }
    }

    private func serveHTTP2(_ fd: Int32) {
        guard let session = try? HTTP2Session(role: .server) else { return }
        var bodies: [Int32: [UInt8]] = [:]
        var headersByStream: [Int32: [(String, String)]] = [:]
        while true {
            var out = ByteBuffer()
            try? session.produceOutput(into: &out)
            if out.readableBytes > 0 { writeAll(fd, out.withUnsafeReadableBytes { Array($0) }) }
            guard let bytes = readSome(fd) else { return }
            guard let events = try? bytes.withUnsafeBytes({ try session.receive($0) }) else { return }
            for event in events {
                switch event {
                case .headers(let id, let fields, _, _):
                    headersByStream[id] = fields.map { ($0.name, $0.value) }
                case .data(let id, let data, let end):
                    bodies[id, default: []] += data
                    guard end else { continue }
                    let index = state.withLock { s -> Int in
                        s.requests.append(bodies[id] ?? [])
                        s.requestHeaders.append(headersByStream[id] ?? [])
                        return s.requests.count - 1
                    }
                    switch script(index) {
                    case .grpc(let status, let message, let trailersOnly):
                        let head = [HTTP2Field(name: ":status", value: "200"), HTTP2Field(name: "content-type", value: "application/grpc")]
                        let trailers = [HTTP2Field(name: "grpc-status", value: "\(status)"), HTTP2Field(name: "grpc-message", value: message)]
                        try? session.submitResponse(streamID: id, headers: head, body: trailersOnly ? [] : [0, 0, 0, 0, 0],
                                                    trailers: trailers, trailersOnly: trailersOnly)
                    case .http1(let status, _, let body):
                        try? session.submitResponse(streamID: id, headers: [HTTP2Field(name: ":status", value: "\(status)")], body: body)
                    case .silence:
                        break
                    }
                default:
                    break
                }
            }
        }
    }

    private func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where Array(haystack[i..<i + needle.count]) == needle { return i }
        return nil
    }
}

/// A detached pthread running `body` (XCTest on Linux has Foundation's Thread, but the module stays Foundation-free).
final class Thread: @unchecked Sendable {  // `body` is set once before start and read only by the new thread
    private let body: () -> Void

    init(_ body: @escaping () -> Void) {
        self.body = body
    }

    func start() {
        let box = Unmanaged.passRetained(self).toOpaque()
        var tid = pthread_t()
        pthread_create(&tid, nil, { arg in
            let me = Unmanaged<Thread>.fromOpaque(arg!).takeRetainedValue()
            me.body()
            return nil
        }, box)
        pthread_detach(tid)
    }
}
