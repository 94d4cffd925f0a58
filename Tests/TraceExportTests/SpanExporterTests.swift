import NetIO
import TraceCore
import TraceEncoding
import TraceExport
import XCTest

final class SpanExporterTests: XCTestCase {
    private var loop: EventLoop!

    override func setUpWithError() throws {
        loop = try EventLoop(name: "test.export")
    }

    override func tearDown() {
        loop.shutdown()
        // XCTest on Linux keeps test case objects alive (LeakSanitizer sees them leak): drop the loop explicitly.
        loop = nil
    }

    private var resource: Resource { Resource() }

    private func spans(_ count: Int) -> [FinishedSpan] {
        (0..<count).map { i in
            FinishedSpan(
                name: "span \(i)", kind: .server,
                context: SpanContext(traceID: TraceID(high: 1, low: UInt64(i + 1)), spanID: SpanID(rawValue: UInt64(i + 1)),
                                     traceFlags: .sampled),
                parentSpanID: nil, startTimeUnixNano: 1_000, endTimeUnixNano: 2_000)
        }
    }

    private func fastDelivery() -> RetryingDelivery {
        var policy = RetryPolicy()
        policy.initialBackoffNanoseconds = 1_000_000
        policy.maximumBackoffNanoseconds = 5_000_000
        return RetryingDelivery(policy: policy, requestTimeoutNanoseconds: 2_000_000_000, exportTimeoutNanoseconds: 10_000_000_000)
    }

    func test_httpExporter_503ThenOK_retriesAndSucceeds() {
        let server = ScriptedServer(mode: .http1) { n in
            n < 2 ? .http1(status: 503, headers: [("retry-after", "0")], body: []) : .http1(status: 200, headers: [], body: [])
        }
        defer { server.stop() }
        let client = HTTPExportClient(loop: loop, host: "127.0.0.1", port: server.port, version: .http1, tlsContext: nil)
        let exporter = HTTPSpanExporter(client: client, path: "/v1/traces", encoder: .otlpJSON(OTLPJSONEncoder(resource: resource)),
                                        headers: [(name: "X-Tenant", value: "a")], responseKind: .otlp, delivery: fastDelivery())
        defer { exporter.shutdown() }
        XCTAssertEqual(exporter.export(spans(3)), .success)
        XCTAssertEqual(server.requestCount, 3)
        let headers = server.state.withLock { $0.requestHeaders[2] }
        XCTAssertEqual(headers.first { $0.0 == "content-type" }?.1, "application/json")
        XCTAssertEqual(headers.first { $0.0 == "x-tenant" }?.1, "a")
    }

    func test_httpExporter_400_isNotRetried() {
        let server = ScriptedServer(mode: .http1) { _ in .http1(status: 400, headers: [], body: []) }
        defer { server.stop() }
        let client = HTTPExportClient(loop: loop, host: "127.0.0.1", port: server.port, version: .http1, tlsContext: nil)
        let exporter = HTTPSpanExporter(client: client, path: "/v1/traces", encoder: .otlpProtobuf(OTLPProtobufEncoder(resource: resource)),
                                        responseKind: .otlp, delivery: fastDelivery())
        defer { exporter.shutdown() }
        XCTAssertEqual(exporter.export(spans(1)), .failure(reason: "HTTP 400", retryable: false))
        XCTAssertEqual(server.requestCount, 1)
    }

    func test_httpExporter_gzip_sendsCompressedBody() {
        let server = ScriptedServer(mode: .http1) { _ in .http1(status: 200, headers: [], body: []) }
        defer { server.stop() }
        let client = HTTPExportClient(loop: loop, host: "127.0.0.1", port: server.port, version: .http1, tlsContext: nil)
        let exporter = HTTPSpanExporter(client: client, path: "/v1/traces", encoder: .otlpProtobuf(OTLPProtobufEncoder(resource: resource)),
                                        gzip: true, responseKind: .otlp, delivery: fastDelivery())
        defer { exporter.shutdown() }
        XCTAssertEqual(exporter.export(spans(50)), .success)
        let (body, headers) = server.state.withLock { ($0.requests[0], $0.requestHeaders[0]) }
        XCTAssertEqual(Array(body.prefix(2)), [0x1F, 0x8B])
        XCTAssertEqual(headers.first { $0.0 == "content-encoding" }?.1, "gzip")
    }

    func test_grpcExporter_unavailableThenOK_retriesAndSucceeds() {
        let server = ScriptedServer(mode: .http2) { n in
            n < 2 ? .grpc(status: 14, message: "busy", trailersOnly: true) : .grpc(status: 0, message: "", trailersOnly: false)
        }
        defer { server.stop() }
        let client = HTTPExportClient(loop: loop, host: "127.0.0.1", port: server.port, version: .http2, tlsContext: nil)
        let exporter = OTLPGRPCSpanExporter(client: client, encoder: OTLPProtobufEncoder(resource: resource), delivery: fastDelivery())
        defer { exporter.shutdown() }
        XCTAssertEqual(exporter.export(spans(2)), .success)
        XCTAssertEqual(server.requestCount, 3)
        let (body, headers) = server.state.withLock { ($0.requests[0], $0.requestHeaders[0]) }
        XCTAssertEqual(body[0], 0, "uncompressed flag")
        let length = Int(body[1]) << 24 | Int(body[2]) << 16 | Int(body[3]) << 8 | Int(body[4])
        XCTAssertEqual(length, body.count - 5)
        XCTAssertEqual(headers.first { $0.0 == ":path" }?.1, OTLPGRPCSpanExporter.exportPath)
        XCTAssertEqual(headers.first { $0.0 == "content-type" }?.1, "application/grpc")
        XCTAssertEqual(headers.first { $0.0 == "te" }?.1, "trailers")
        XCTAssertNotNil(headers.first { $0.0 == "grpc-timeout" })
    }

    func test_grpcExporter_invalidArgument_isNotRetried() {
        let server = ScriptedServer(mode: .http2) { _ in .grpc(status: 3, message: "bad%20span", trailersOnly: false) }
        defer { server.stop() }
        let client = HTTPExportClient(loop: loop, host: "127.0.0.1", port: server.port, version: .http2, tlsContext: nil)
        let exporter = OTLPGRPCSpanExporter(client: client, encoder: OTLPProtobufEncoder(resource: resource), delivery: fastDelivery())
        defer { exporter.shutdown() }
        XCTAssertEqual(exporter.export(spans(1)), .failure(reason: "grpc-status 3: bad span", retryable: false))
        XCTAssertEqual(server.requestCount, 1)
    }

    func test_exporter_afterShutdown_failsWithoutSending() {
        let client = HTTPExportClient(loop: loop, host: "127.0.0.1", port: 1, version: .http1, tlsContext: nil)
        let exporter = HTTPSpanExporter(client: client, path: "/", encoder: .zipkinJSON(ZipkinJSONEncoder(resource: resource)),
                                        responseKind: .opaque, delivery: fastDelivery())
        exporter.shutdown()
        XCTAssertEqual(exporter.export(spans(1)), .failure(reason: "exporter is shut down", retryable: false))
    }
}
