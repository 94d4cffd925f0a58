import IOCore
import NetIO
import TraceExport
import XCTest

final class HTTPExportClientTests: XCTestCase {
    private var loop: EventLoop!

    override func setUpWithError() throws {
        loop = try EventLoop(name: "test.export")
    }

    override func tearDown() {
        loop.shutdown()
        // XCTest on Linux keeps test case objects alive (LeakSanitizer sees them leak): drop the loop explicitly.
        loop = nil
    }

    private func request(_ body: String = "hello") -> HTTPClientRequest {
        HTTPClientRequest(path: "/v1/traces", headers: [(name: "content-type", value: "application/json")], body: Array(body.utf8))
    }

    func test_http1_send_returnsResponseAndReusesConnection() throws {
        let server = ScriptedServer(mode: .http1) { _ in .http1(status: 200, headers: [("x-a", "1")], body: Array("ok".utf8)) }
        defer { server.stop() }
        let client = HTTPExportClient(loop: loop, host: "127.0.0.1", port: server.port, version: .http1, tlsContext: nil)
        defer { client.shutdown() }
        for i in 0..<3 {
            let response = try client.send(request("body \(i)"), timeoutNanoseconds: 5_000_000_000).get()
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.body, Array("ok".utf8))
            XCTAssertEqual(response.header("x-a"), "1")
        }
        XCTAssertEqual(server.connections, 1, "keep-alive: one connection for three requests")
        XCTAssertEqual(server.state.withLock { $0.requests.last }, Array("body 2".utf8))
        XCTAssertEqual(server.state.withLock { $0.requestHeaders[0].first { $0.0 == "host" }?.1 }, "127.0.0.1:\(server.port)")
    }

    func test_http1_silentServer_timesOut() {
        let server = ScriptedServer(mode: .http1) { _ in .silence }
        defer { server.stop() }
        let client = HTTPExportClient(loop: loop, host: "127.0.0.1", port: server.port, version: .http1, tlsContext: nil)
        defer { client.shutdown() }
        guard case .failure(.timedOut) = client.send(request(), timeoutNanoseconds: 200_000_000) else {
            return XCTFail("expected a timeout")
        }
    }

    func test_http1_refused_isConnectError() {
        let server = ScriptedServer(mode: .http1) { _ in .silence }
        let port = server.port
        server.stop()
        let client = HTTPExportClient(loop: loop, host: "127.0.0.1", port: port, version: .http1, tlsContext: nil)
        defer { client.shutdown() }
        guard case .failure(.connect) = client.send(request(), timeoutNanoseconds: 2_000_000_000) else {
            return XCTFail("expected a connect failure")
        }
    }

    func test_http1_hostName_isResolvedOffTheLoop() throws {
        let server = ScriptedServer(mode: .http1) { _ in .http1(status: 204, headers: [], body: []) }
        defer { server.stop() }
        let client = HTTPExportClient(loop: loop, host: "localhost", port: server.port, version: .http1, tlsContext: nil)
        defer { client.shutdown() }
        // localhost may resolve to ::1 first, where nothing listens: the client moves on to the next address.
        var status = 0
        for _ in 0..<3 {
            if case .success(let r) = client.send(request(), timeoutNanoseconds: 2_000_000_000) { status = r.status; break }
        }
        XCTAssertEqual(status, 204)
    }

    func test_http2_grpcTrailers_areDelivered() throws {
        let server = ScriptedServer(mode: .http2) { _ in .grpc(status: 0, message: "", trailersOnly: false) }
        defer { server.stop() }
        let client = HTTPExportClient(loop: loop, host: "127.0.0.1", port: server.port, version: .http2, tlsContext: nil)
        defer { client.shutdown() }
        for _ in 0..<3 {
            let response = try client.send(request(), timeoutNanoseconds: 5_000_000_000).get()
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.trailer("grpc-status"), "0")
            XCTAssertEqual(response.body, [0, 0, 0, 0, 0])
        }
        XCTAssertEqual(server.connections, 1)
        let headers = server.state.withLock { $0.requestHeaders[0] }
        XCTAssertEqual(headers.first { $0.0 == ":path" }?.1, "/v1/traces")
        XCTAssertEqual(headers.first { $0.0 == ":authority" }?.1, "127.0.0.1:\(server.port)")
    }

    func test_http2_trailersOnly_statusIsReadFromHeaders() throws {
        let server = ScriptedServer(mode: .http2) { _ in .grpc(status: 14, message: "down", trailersOnly: true) }
        defer { server.stop() }
        let client = HTTPExportClient(loop: loop, host: "127.0.0.1", port: server.port, version: .http2, tlsContext: nil)
        defer { client.shutdown() }
        let response = try client.send(request(), timeoutNanoseconds: 5_000_000_000).get()
        XCTAssertEqual(response.trailer("grpc-status"), "14")
        XCTAssertEqual(response.trailer("grpc-message"), "down")
    }

    func test_http2_silentStream_timesOutAndConnectionStaysUsable() throws {
        let server = ScriptedServer(mode: .http2) { n in n == 0 ? .silence : .grpc(status: 0, message: "", trailersOnly: true) }
        defer { server.stop() }
        let client = HTTPExportClient(loop: loop, host: "127.0.0.1", port: server.port, version: .http2, tlsContext: nil)
        defer { client.shutdown() }
        guard case .failure(.timedOut) = client.send(request(), timeoutNanoseconds: 200_000_000) else {
            return XCTFail("expected a timeout")
        }
        let response = try client.send(request(), timeoutNanoseconds: 5_000_000_000).get()
        XCTAssertEqual(response.trailer("grpc-status"), "0")
        XCTAssertEqual(server.connections, 1)
    }

    func test_shutdown_laterSendsFail() {
        let client = HTTPExportClient(loop: loop, host: "127.0.0.1", port: 1, version: .http1, tlsContext: nil)
        client.shutdown()
        guard case .failure(.shutDown) = client.send(request(), timeoutNanoseconds: 1_000_000_000) else {
            return XCTFail("expected shutDown")
        }
    }
}
