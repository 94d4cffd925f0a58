import XCTest

@testable import Gateway

final class RouteTableTests: XCTestCase {
    private let upstream = ServiceEndpoint.parse("http://127.0.0.1:9000", allowBare: false)!

    private func route(_ text: String, prefix: Bool = false) -> Route {
        Route(template: RouteTemplate(text, isPrefix: prefix)!, upstream: upstream, responseTimeout: .seconds(60), tunnelIdleTimeout: .seconds(300))
    }

    private func captures(_ template: String, _ path: String) -> [String]? {
        let t = RouteTemplate(template)!
        var path = path
        var values: [String] = []
        let matched = path.withUTF8 { bytes in
            t.matches(UnsafeRawBufferPointer(bytes)) { _, range in
                values.append(String(decoding: UnsafeRawBufferPointer(bytes)[range], as: UTF8.self))
            }
        }
        return matched ? values : nil
    }

    func test_template_oneCapturePerSegment_capturesValue() {
        XCTAssertEqual(captures("/jobs/{job.id}", "/jobs/42"), ["42"])
        XCTAssertEqual(captures("/jobs/progress/{job.id}", "/jobs/progress/abc-1"), ["abc-1"])
        XCTAssertEqual(captures("/a/{x}/b/{y}", "/a/1/b/2"), ["1", "2"])
        XCTAssertEqual(captures("/jobs/submit", "/jobs/submit"), [])
    }

    func test_template_extraOrMissingSegments_doNotMatch() {
        XCTAssertNil(captures("/jobs/{job.id}", "/jobs/42/extra"))
        XCTAssertNil(captures("/jobs/{job.id}", "/jobs/"))
        XCTAssertNil(captures("/jobs/{job.id}", "/jobs"))
        XCTAssertNil(captures("/jobs/submit", "/jobs/submitx"))
        XCTAssertNil(captures("/ws", "/"))
    }

    func test_template_malformed_isRejected() {
        XCTAssertNil(RouteTemplate("jobs/{id}"))
        XCTAssertNil(RouteTemplate("/jobs/{}"))
        XCTAssertNil(RouteTemplate("/jobs/{id"))
        XCTAssertNil(RouteTemplate("/jobs/x{id}"))
        XCTAssertNil(RouteTemplate("/api/{x}", isPrefix: true))
    }

    func test_table_firstMatchWinsAndFallbackCatchesTheRest() {
        let table = RouteTable(routes: [route("/jobs/submit"), route("/jobs/{job.id}"), route("/api/", prefix: true)], fallback: route("/", prefix: true))
        XCTAssertEqual(table.match("/jobs/submit")?.index, 0)
        XCTAssertEqual(table.match("/jobs/7")?.index, 1)
        XCTAssertEqual(table.match("/api/v1/x")?.index, 2)
        let fallback = table.match("/other")
        XCTAssertNotNil(fallback)
        XCTAssertNil(fallback?.index)
    }

    func test_table_withoutFallback_unmatchedPathHasNoRoute() {
        let table = RouteTable(routes: [route("/health")], fallback: nil)
        XCTAssertNil(table.match("/other"))
    }

    func test_resolvedRoutes_matchReturnsTheSharedRouteWithItsBackendStrings() throws {
        let other = ServiceEndpoint.parse("http://localhost:9001", allowBare: false)!
        let jobs = Route(template: RouteTemplate("/jobs/{job.id}")!, upstream: other, responseTimeout: .milliseconds(1500),
                         tunnelIdleTimeout: .seconds(300))
        let table = RouteTable(routes: [route("/health"), jobs], fallback: route("/", prefix: true))
        let resolved = try ResolvedRoutes.resolve(table)
        func match(_ path: String) -> ResolvedRoute? {
            var path = path
            return path.withUTF8 { resolved.match(UnsafeRawBufferPointer($0)) }
        }
        let first = try XCTUnwrap(match("/jobs/7"))
        XCTAssertTrue(first === match("/jobs/8"), "requests share one route object")
        XCTAssertEqual(first.index, 1)
        XCTAssertTrue(first.configuredRoute === first)
        XCTAssertEqual(first.route, jobs)
        XCTAssertEqual(first.responseTimeoutNanoseconds, 1_500_000_000)
        XCTAssertEqual(first.tunnelIdleTimeoutNanoseconds, 300_000_000_000)
        XCTAssertEqual(first.spanNames?.name(for: .get), "GET /jobs/{job.id}")
        XCTAssertEqual(String(decoding: first.backendStrings.serverAddress, as: UTF8.self), "localhost")
        XCTAssertEqual(first.backendStrings.serverPort, 9001)
        XCTAssertEqual(first.backendStrings.peerPort, 9001)
        XCTAssertEqual(String(decoding: first.backendStrings.urlPrefix, as: UTF8.self), "http://localhost:9001")
        XCTAssertEqual(first.address.port, 9001)

        let fallback = try XCTUnwrap(match("/elsewhere"))
        XCTAssertNil(fallback.index)
        XCTAssertNil(fallback.configuredRoute, "the fallback has no http.route and no route tracing options")
        XCTAssertNil(fallback.spanNames)
        XCTAssertEqual(String(decoding: fallback.backendStrings.peerAddress, as: UTF8.self), "127.0.0.1")
        XCTAssertEqual(fallback.backendStrings.addressDescription, "127.0.0.1:9000")
    }
}
