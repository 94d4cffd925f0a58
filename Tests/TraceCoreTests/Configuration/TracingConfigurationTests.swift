import XCTest

@testable import TraceCore

final class TracingConfigurationTests: XCTestCase {
    func test_defaults_matchSeed() {
        let configuration = TracingConfiguration()
        XCTAssertFalse(configuration.enabled)
        XCTAssertEqual(configuration.serviceVersion, "1.0.0")
        XCTAssertEqual(configuration.environment, "development")
        XCTAssertEqual(configuration.exporters, ["stdout"])
        XCTAssertEqual(configuration.jaegerEndpoint, "http://localhost:14268/api/traces")
        XCTAssertEqual(configuration.otlpEndpoint, "localhost:4317")
        XCTAssertEqual(configuration.samplingRate, 1.0)
        XCTAssertEqual(configuration.maxExportBatchSize, 512)
        XCTAssertEqual(configuration.maxQueueSize, 2048)
        XCTAssertEqual(configuration.exportTimeout, .seconds(30))
        XCTAssertEqual(configuration.propagators, .default)
        XCTAssertEqual(configuration.effectiveSampler, .parentBasedAlwaysOn)
        XCTAssertNoThrow(try configuration.validate())
    }

    func test_validate_badValues_nameKeyValueAndAllowed() {
        func key(_ configuration: TracingConfiguration) -> String? {
            do {
                try configuration.validate()
                return nil
            } catch {
                guard case .invalidValue(let key, _, let allowed) = error else { return nil }
                XCTAssertFalse(allowed.isEmpty)
                return key
            }
        }
        XCTAssertEqual(key(TracingConfiguration(samplingRate: 1.5)), "sampling-rate")
        XCTAssertEqual(key(TracingConfiguration(samplingRate: -0.1)), "sampling-rate")
        XCTAssertEqual(key(TracingConfiguration(exporters: ["kafka"])), "exporters")
        XCTAssertEqual(key(TracingConfiguration(enabled: true, serviceName: "")), "service-name")
        XCTAssertEqual(key(TracingConfiguration(exporters: ["jaeger"], jaegerEndpoint: "localhost:14268")), "jaeger-endpoint")
        var configuration = TracingConfiguration()
        configuration.maxExportBatchSize = 4096
        XCTAssertEqual(key(configuration), "max-export-batch-size")
        configuration = TracingConfiguration()
        configuration.maxQueueSize = 0
        XCTAssertEqual(key(configuration), "max-queue-size")
    }

    func test_effectiveSampler_usesRateUnlessSamplerSet() {
        XCTAssertEqual(
            TracingConfiguration(samplingRate: 0.25).effectiveSampler, .parentBasedTraceIDRatio(.init(ratio: 0.25))
        )
        XCTAssertEqual(TracingConfiguration(samplingRate: 0.25, sampler: .alwaysOff).effectiveSampler, .alwaysOff)
    }

    func test_makeResource_usesServiceFields() {
        let resource = TracingConfiguration(serviceName: "gw", environment: "staging").makeResource(hostName: "h")
        XCTAssertEqual(resource.attributes["service.name"], .string("gw"))
        XCTAssertEqual(resource.attributes["deployment.environment"], .string("staging"))
        XCTAssertEqual(resource.attributes["service.version"], .string("1.0.0"))
    }
}
