import HTTP2
import IOCore
import XCTest

/// A client and a server `HTTP2Session` wired back to back in memory: every byte one produces, the other receives.
final class HTTP2SessionTests: XCTestCase {
    private var client: HTTP2Session!
    private var server: HTTP2Session!
    private var clientEvents: [HTTP2SessionEvent] = []
    private var serverEvents: [HTTP2SessionEvent] = []

    override func setUpWithError() throws {
        client = try HTTP2Session(role: .client)
        server = try HTTP2Session(role: .server)
    }

    override func tearDown() {
        // XCTest on Linux keeps test case objects alive: free the nghttp2 sessions explicitly.
        client = nil
        server = nil
        clientEvents = []
        serverEvents = []
    }

    /// Moves bytes both ways until neither side has anything to send.
    private func pump() throws {
        for _ in 0..<50 {
            var toServer = ByteBuffer()
            try client.produceOutput(into: &toServer)
            var toClient = ByteBuffer()
            if toServer.readableBytes > 0 {
                serverEvents += try toServer.withUnsafeReadableBytes { try server.receive($0) }
            }
            try server.produceOutput(into: &toClient)
            if toClient.readableBytes > 0 {
                clientEvents += try toClient.withUnsafeReadableBytes { try client.receive($0) }
            }
            if toServer.readableBytes == 0 && toClient.readableBytes == 0 {
                clientEvents += client.takeEvents()
                serverEvents += server.takeEvents()
                return
            }
        }
        XCTFail("sessions did not settle")
    }

    private let requestHeaders = [
        HTTP2Field(name: ":method", value: "POST"), HTTP2Field(name: ":scheme", value: "http"),
        HTTP2Field(name: ":authority", value: "127.0.0.1:4317"), HTTP2Field(name: ":path", value: "/svc/Method"),
        HTTP2Field(name: "content-type", value: "application/grpc"), HTTP2Field(name: "te", value: "trailers"),
    ]

    private func body(of events: [HTTP2SessionEvent], stream: Int32) -> [UInt8] {
        events.reduce(into: []) { out, e in if case .data(stream, let bytes, _) = e { out += bytes } }
    }

    func test_request_withBody_arrivesAtServerWithHeadersAndEndStream() throws {
        let payload = Array((0..<40_000).map { UInt8(truncatingIfNeeded: $0) })
        let id = try client.submitRequest(headers: requestHeaders, body: payload)
        try pump()
        XCTAssertEqual(id, 1)
        guard case .headers(1, let fields, false, false)? = serverEvents.first(where: {
            if case .headers = $0 { return true } else { return false }
        }) else { return XCTFail("no request headers: \(serverEvents)") }
        XCTAssertEqual(fields.first(named: ":path"), "/svc/Method")
        XCTAssertEqual(fields.first(named: "te"), "trailers")
        XCTAssertEqual(body(of: serverEvents, stream: 1), payload)
        XCTAssertTrue(serverEvents.contains(.data(streamID: 1, bytes: [], endStream: true)))
    }

    func test_response_withTrailers_deliversHeadersBodyThenTrailers() throws {
        let id = try client.submitRequest(headers: requestHeaders, body: [1, 2, 3])
        try pump()
        try server.submitResponse(
            streamID: id,
            headers: [HTTP2Field(name: ":status", value: "200"), HTTP2Field(name: "content-type", value: "application/grpc")],
            body: [0, 0, 0, 0, 2, 9, 9],
            trailers: [HTTP2Field(name: "grpc-status", value: "0"), HTTP2Field(name: "grpc-message", value: "")])
        try pump()
        let headerEvents = clientEvents.compactMap { e -> ([HTTP2Field], Bool)? in
            if case .headers(id, let fields, let isTrailers, _) = e { return (fields, isTrailers) } else { return nil }
        }
        XCTAssertEqual(headerEvents.count, 2)
        XCTAssertEqual(headerEvents[0].0.first(named: ":status"), "200")
        XCTAssertFalse(headerEvents[0].1)
        XCTAssertEqual(headerEvents[1].0.first(named: "grpc-status"), "0")
        XCTAssertTrue(headerEvents[1].1)
        XCTAssertEqual(body(of: clientEvents, stream: id), [0, 0, 0, 0, 2, 9, 9])
        XCTAssertTrue(clientEvents.contains(.streamClosed(streamID: id, errorCode: 0)))
    }

    func test_response_trailersOnly_isOneHeaderBlockEndingTheStream() throws {
        let id = try client.submitRequest(headers: requestHeaders, body: [1])
        try pump()
        try server.submitResponse(
            streamID: id, headers: [HTTP2Field(name: ":status", value: "200"), HTTP2Field(name: "content-type", value: "application/grpc")],
            body: [], trailers: [HTTP2Field(name: "grpc-status", value: "14"), HTTP2Field(name: "grpc-message", value: "down")],
            trailersOnly: true)
        try pump()
        guard case .headers(id, let fields, false, true)? = clientEvents.first(where: {
            if case .headers = $0 { return true } else { return false }
        }) else { return XCTFail("expected one END_STREAM header block: \(clientEvents)") }
        XCTAssertEqual(fields.first(named: "grpc-status"), "14")
        XCTAssertEqual(fields.first(named: "grpc-message"), "down")
    }

    func test_resetStream_closesWithCancelOnBothSides() throws {
        let id = try client.submitRequest(headers: requestHeaders, body: [1])
        try pump()
        client.resetStream(id, errorCode: 8)
        try pump()
        XCTAssertTrue(clientEvents.contains(.streamClosed(streamID: id, errorCode: 8)))
        XCTAssertTrue(serverEvents.contains(.streamClosed(streamID: id, errorCode: 8)))
    }

    func test_manyConcurrentStreams_eachGetsItsOwnResponse() throws {
        var ids: [Int32] = []
        for i in 0..<10 { ids.append(try client.submitRequest(headers: requestHeaders, body: [UInt8(i)])) }
        try pump()
        for (i, id) in ids.enumerated().reversed() {
            try server.submitResponse(streamID: id, headers: [HTTP2Field(name: ":status", value: "200")], body: [UInt8(i), 42])
        }
        try pump()
        for (i, id) in ids.enumerated() {
            XCTAssertEqual(body(of: clientEvents, stream: id), [UInt8(i), 42])
        }
    }

    func test_terminate_sendsGoAwayToPeer() throws {
        _ = try client.submitRequest(headers: requestHeaders, body: [])
        try pump()
        server.terminate(errorCode: 0)
        try pump()
        XCTAssertTrue(clientEvents.contains { if case .goAway(_, 0) = $0 { return true } else { return false } })
    }

    func test_receive_garbagePreface_throws() throws {
        let garbage = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        XCTAssertThrowsError(try garbage.withUnsafeBytes { try server.receive($0) })
    }
}
