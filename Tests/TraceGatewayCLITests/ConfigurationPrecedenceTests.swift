import Gateway
import XCTest

@testable import TraceGatewayCLI

/// Precedence (flags > environment > file > defaults) and the seed's defaults.
final class ConfigurationPrecedenceTests: XCTestCase {
    private func resolve(_ arguments: [String], environment: [String: String] = [:]) throws -> GatewayConfiguration {
        let command = try TraceGatewayCommand.parse(arguments)
        return try command.resolveConfiguration(environment: environment).gateway
    }

    func test_defaults_withNothingSet_matchTheSeedTableAndGatewayDefaults() throws {
        let config = try resolve([])
        XCTAssertTrue(config.enabled)
        XCTAssertEqual(config.serviceName, "tracegw")
        XCTAssertEqual(config.serviceVersion, "1.0.0")
        XCTAssertEqual(config.environment, "development")
        XCTAssertEqual(config.exporters, [.stdout])
        XCTAssertEqual(config.jaegerEndpoint.description, "http://localhost:14268/api/traces")
        XCTAssertEqual(config.otlpEndpoint.description, "localhost:4317")
        XCTAssertEqual(config.samplingRatio, 1.0)
        XCTAssertEqual(config.sampler, .parentBasedTraceIDRatio)
        XCTAssertEqual(config.maxExportBatchSize, 512)
        XCTAssertEqual(config.maxQueueSize, 2048)
        XCTAssertEqual(config.exportTimeout, .seconds(30))
        XCTAssertEqual(config.scheduleDelay, .seconds(5))
        XCTAssertEqual(config.propagators, ["tracecontext", "baggage"])
        XCTAssertEqual(config.stdoutFormat, .text)
        XCTAssertTrue(config.provenance.allSatisfy { $0.origin == .builtInDefault })
    }

    func test_precedence_flagBeatsEnvironmentBeatsFileBeatsDefault() throws {
        let path = try writeTemporaryFile("""
            service_name: from-file
            service_version: 2.0.0
            environment: staging
            sampling_rate: 0.3
            max_queue_size: 100
            """)
        let config = try resolve(
            ["--config", path, "--service-name", "from-flag"],
            environment: ["OTEL_SERVICE_NAME": "from-env", "OTEL_RESOURCE_ATTRIBUTES": "service.version=3.0.0"])
        XCTAssertEqual(config.serviceName, "from-flag")
        XCTAssertEqual(config.serviceVersion, "3.0.0")
        XCTAssertEqual(config.environment, "staging")
        XCTAssertEqual(config.samplingRatio, 0.3)
        XCTAssertEqual(config.maxQueueSize, 100)
        let origins = Dictionary(uniqueKeysWithValues: config.provenance.map { ($0.key, $0.origin) })
        XCTAssertEqual(origins["service_name"], .flag(name: "--service-name"))
        XCTAssertEqual(origins["service_version"], .environment(name: "OTEL_RESOURCE_ATTRIBUTES"))
        XCTAssertEqual(origins["environment"], .file(path: path, key: "environment"))
        XCTAssertEqual(origins["max_export_batch_size"], .builtInDefault)
    }

    func test_serviceName_otelServiceNameBeatsResourceAttributes() throws {
        let config = try resolve([], environment: [
            "OTEL_RESOURCE_ATTRIBUTES": "service.name=from-resource,team=infra",
            "OTEL_SERVICE_NAME": "from-service-name",
        ])
        XCTAssertEqual(config.serviceName, "from-service-name")
        XCTAssertEqual(config.resourceAttributes.map { "\($0.key)=\($0.value)" }, ["team=infra"])
    }

    func test_serviceName_resourceAttributesAloneSetIt() throws {
        let config = try resolve([], environment: ["OTEL_RESOURCE_ATTRIBUTES": "service.name=svc%20a"])
        XCTAssertEqual(config.serviceName, "svc a")
    }

    func test_sdkDisabled_true_disablesTracing() throws {
        XCTAssertFalse(try resolve([], environment: ["OTEL_SDK_DISABLED": "true"]).enabled)
        XCTAssertTrue(try resolve([], environment: ["OTEL_SDK_DISABLED": "false"]).enabled)
    }

    func test_sampler_environmentSamplerBeatsFileSamplingRate() throws {
        let path = try writeTemporaryFile("sampling_rate: 0.5\n")
        let config = try resolve(["--config", path], environment: ["OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.25"])
        XCTAssertEqual(config.sampler, .traceIDRatio)
        XCTAssertEqual(config.samplingRatio, 0.25)
    }

    func test_sampler_samplingRateFlagBeatsEnvironmentSampler() throws {
        let config = try resolve(["--sampling-rate", "0.1"], environment: ["OTEL_TRACES_SAMPLER": "always_on"])
        XCTAssertEqual(config.sampler, .parentBasedTraceIDRatio)
        XCTAssertEqual(config.samplingRatio, 0.1)
    }

    func test_exporter_consoleMeansStdoutAndListsAreAccepted() throws {
        XCTAssertEqual(try resolve([], environment: ["OTEL_TRACES_EXPORTER": "console"]).exporters, [.stdout])
        XCTAssertEqual(try resolve(["--exporter", "stdout,memory"]).exporters, [.stdout, .memory])
        let path = try writeTemporaryFile("exporter: [memory, stdout]\n")
        XCTAssertEqual(try resolve(["--config", path]).exporters, [.memory, .stdout])
    }

    func test_durations_environmentIsMillisecondsAndFileHasUnits() throws {
        let env = try resolve([], environment: ["OTEL_BSP_SCHEDULE_DELAY": "250", "OTEL_BSP_EXPORT_TIMEOUT": "1500"])
        XCTAssertEqual(env.scheduleDelay, .milliseconds(250))
        XCTAssertEqual(env.exportTimeout, .milliseconds(1500))
        let path = try writeTemporaryFile("schedule_delay: 500ms\nexport_timeout: 2s\n")
        let file = try resolve(["--config", path])
        XCTAssertEqual(file.scheduleDelay, .milliseconds(500))
        XCTAssertEqual(file.exportTimeout, .seconds(2))
    }

    func test_busyPoll_offByDefault_durationFromFileOrEnvironment() throws {
        XCTAssertEqual(try resolve([]).busyPoll, .zero)
        XCTAssertEqual(try resolve([], environment: ["TRACEGW_BUSY_POLL": "30us"]).busyPoll, .microseconds(30))
        XCTAssertEqual(try resolve([], environment: ["TRACEGW_BUSY_POLL": "0"]).busyPoll, .zero)
        let path = try writeTemporaryFile("busy_poll: 1ms\n")
        XCTAssertEqual(try resolve(["--config", path]).busyPoll, .milliseconds(1))
    }

    func test_otlpEndpoint_tracesVariableBeatsGeneralOneAndIsMarkedExact() throws {
        let config = try resolve([], environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:5318/custom/path",
        ])
        XCTAssertEqual(config.otlpEndpoint.description, "http://127.0.0.1:5318/custom/path")
        XCTAssertTrue(config.otlpEndpointIsSignalSpecific)
    }

    func test_otlpEndpoint_acceptsHostPortAndURLs() throws {
        XCTAssertEqual(try resolve(["--otlp-endpoint", "collector:4317"]).otlpEndpoint.usesTLS, false)
        let tls = try resolve(["--otlp-endpoint", "https://collector.example:4317"]).otlpEndpoint
        XCTAssertTrue(tls.usesTLS)
        XCTAssertEqual(tls.port, 4317)
        XCTAssertEqual(try resolve(["--otlp-endpoint", "[::1]:4317"]).otlpEndpoint.host, "::1")
    }

    func test_printConfig_namesEveryKeyWithItsOrigin() throws {
        let config = try resolve(["--sampling-rate", "0.5"], environment: ["OTEL_SERVICE_NAME": "svc"])
        let text = config.renderedForPrinting()
        for setting in GatewaySetting.all {
            XCTAssertTrue(text.contains("\n\(setting.key):"), "missing \(setting.key)")
        }
        XCTAssertTrue(text.contains("0.5  # flag --sampling-rate"))
        XCTAssertTrue(text.contains("svc  # environment OTEL_SERVICE_NAME"))
    }
}
