import XCTest

@testable import TraceCore

final class ResourceTests: XCTestCase {
    func test_defaultResource_setsServiceEnvironmentHostAndSDK() {
        let resource = Resource.defaultResource(
            serviceName: "gw", serviceVersion: "2.0.0", environment: "prod", hostName: "edge-1"
        )
        let attributes = resource.attributes
        XCTAssertEqual(attributes["service.name"], .string("gw"))
        XCTAssertEqual(attributes["service.version"], .string("2.0.0"))
        XCTAssertEqual(attributes["deployment.environment.name"], .string("prod"))
        XCTAssertEqual(attributes["deployment.environment"], .string("prod"))
        XCTAssertEqual(attributes["host.name"], .string("edge-1"))
        XCTAssertEqual(attributes["telemetry.sdk.name"], .string("tracegw"))
        XCTAssertEqual(attributes["telemetry.sdk.language"], .string("swift"))
        XCTAssertEqual(attributes["telemetry.sdk.version"], .string(Resource.sdkVersion))
    }

    func test_defaultResource_extraOverridesDefaultsButNotServiceName() {
        let resource = Resource.defaultResource(
            serviceName: "gw", hostName: "h",
            extra: [SpanAttribute(key: "service.name", value: "other"), SpanAttribute(key: "host.name", value: "x"),
                SpanAttribute(key: "team", value: "edge")]
        )
        XCTAssertEqual(resource.attributes["service.name"], .string("gw"))
        XCTAssertEqual(resource.attributes["host.name"], .string("x"))
        XCTAssertEqual(resource.attributes["team"], .string("edge"))
    }

    func test_defaultResource_withoutHostName_usesGethostname() {
        let resource = Resource.defaultResource(serviceName: "gw")
        XCTAssertEqual(resource.attributes["host.name"], Resource.currentHostName().map { .string($0) })
        XCTAssertNotNil(Resource.currentHostName())
    }

    func test_enums_haveOTLPNumbers() {
        XCTAssertEqual(SpanKind.allCases.map(\.otlpValue), [1, 2, 3, 4, 5])
        XCTAssertEqual(SpanStatus.unset.otlpCode, 0)
        XCTAssertEqual(SpanStatus.ok.otlpCode, 1)
        XCTAssertEqual(SpanStatus.error(description: "x").otlpCode, 2)
    }
}
