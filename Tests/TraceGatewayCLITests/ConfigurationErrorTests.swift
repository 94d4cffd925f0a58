import Gateway
import XCTest

@testable import TraceGatewayCLI

/// Every bad value stops start-up with one message naming the key, the value, its origin and what is allowed.
final class ConfigurationErrorTests: XCTestCase {
    /// Resolves and returns the error message, failing the test when resolution succeeds.
    private func message(_ arguments: [String], environment: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let command = try TraceGatewayCommand.parse(arguments)
            _ = try command.resolveConfiguration(environment: environment)
            XCTFail("expected a configuration error", file: file, line: line)
            return ""
        } catch let error as ConfigError {
            return error.description
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return ""
        }
    }

    private func assertMessage(_ text: String, contains parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        for part in parts {
            XCTAssertTrue(text.contains(part), "\"\(text)\" does not contain \"\(part)\"", file: file, line: line)
        }
    }

    func test_samplingRate_aboveOne_namesFlagValueAndRange() {
        assertMessage(message(["--sampling-rate", "1.5"]), contains: ["sampling_rate", "\"1.5\"", "flag --sampling-rate", "0.0 to 1.0"])
    }

    func test_samplingRate_inFile_namesFileAndKey() throws {
        let path = try writeTemporaryFile("sampling_rate: -0.1\n")
        assertMessage(message(["--config", path]), contains: ["sampling_rate", "\"-0.1\"", "file \(path)", "0.0 to 1.0"])
    }

    func test_samplingRate_notANumber_isRejected() {
        assertMessage(message(["--sampling-rate", "half"]), contains: ["sampling_rate", "\"half\""])
    }

    func test_maxQueueSize_negativeInEnvironment_namesVariable() {
        assertMessage(message([], environment: ["OTEL_BSP_MAX_QUEUE_SIZE": "-3"]),
                      contains: ["max_queue_size", "\"-3\"", "environment OTEL_BSP_MAX_QUEUE_SIZE", "integer"])
    }

    func test_maxExportBatchSize_largerThanQueue_isRejected() {
        assertMessage(message([], environment: ["OTEL_BSP_MAX_QUEUE_SIZE": "100", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "200"]),
                      contains: ["max_export_batch_size", "\"200\"", "max_queue_size"])
    }

    func test_busyPoll_overOneMillisecondOrWithoutUnit_isRejected() throws {
        assertMessage(message([], environment: ["TRACEGW_BUSY_POLL": "2ms"]),
                      contains: ["busy_poll", "\"2ms\"", "environment TRACEGW_BUSY_POLL", "0 (off) to 1ms"])
        assertMessage(message([], environment: ["TRACEGW_BUSY_POLL": "30"]), contains: ["busy_poll", "\"30\""])
        let path = try writeTemporaryFile("busy_poll: fast\n")
        assertMessage(message(["--config", path]), contains: ["busy_poll", "\"fast\"", "file \(path)"])
    }

    func test_exporter_unknownName_listsAllowedNames() {
        assertMessage(message(["--exporter", "kafka"]), contains: ["exporter", "\"kafka\"", "flag --exporter", "stdout, otlp"])
    }

    func test_exporter_notInThisBuild_saysSo() {
        let missing = GatewayConfiguration.ExporterKind.allCases.first { !ExporterCatalog.available.contains($0) }
        guard let missing else { return }
        assertMessage(message(["--exporter", missing.rawValue]),
                      contains: ["exporter \(missing.rawValue) is not available in this build"])
    }

    func test_otlpEndpoint_unparsable_namesFlag() {
        assertMessage(message(["--otlp-endpoint", "ftp://x:1"]), contains: ["otlp_endpoint", "\"ftp://x:1\"", "flag --otlp-endpoint"])
        assertMessage(message(["--otlp-endpoint", "collector"]), contains: ["otlp_endpoint", "\"collector\""])
        assertMessage(message(["--otlp-endpoint", "host:99999"]), contains: ["otlp_endpoint", "\"host:99999\""])
    }

    func test_jaegerEndpoint_bareHostPort_isRejected() {
        assertMessage(message(["--jaeger-endpoint", "localhost:14268"]), contains: ["jaeger_endpoint", "http://"])
    }

    func test_upstream_withoutScheme_isRejected() {
        assertMessage(message(["--upstream", "127.0.0.1:9000"]), contains: ["upstream", "\"127.0.0.1:9000\"", "flag --upstream"])
    }

    func test_listen_withScheme_isRejected() {
        assertMessage(message(["--listen", "http://127.0.0.1:80"]), contains: ["listen", "HOST:PORT"])
    }

    func test_workers_zero_isRejected() {
        assertMessage(message(["--workers", "0"]), contains: ["workers", "\"0\"", "1...256"])
    }

    func test_stdoutFormat_unknown_isRejected() {
        assertMessage(message(["--stdout-format", "xml"]), contains: ["stdout_format", "\"xml\"", "text or otlp-json"])
    }

    func test_file_unknownKey_namesKeyAndFile() throws {
        let path = try writeTemporaryFile("service_name: a\nsampling_rat: 0.5\n")
        assertMessage(message(["--config", path]), contains: ["unknown key \"sampling_rat\"", path, "sampling_rate"])
    }

    func test_file_malformedYAML_namesFile() throws {
        let path = try writeTemporaryFile("service_name: [unclosed\n")
        assertMessage(message(["--config", path]), contains: ["cannot read \(path)"])
    }

    func test_file_missing_namesFile() {
        assertMessage(message(["--config", "/nonexistent/tracegw.yaml"]), contains: ["cannot read /nonexistent/tracegw.yaml"])
    }

    func test_file_durationWithoutUnit_isRejected() throws {
        let path = try writeTemporaryFile("export_timeout: 30\n")
        assertMessage(message(["--config", path]), contains: ["export_timeout", "\"30\"", "duration"])
    }

    func test_environment_sdkDisabledGarbage_isRejected() {
        assertMessage(message([], environment: ["OTEL_SDK_DISABLED": "maybe"]), contains: ["OTEL_SDK_DISABLED", "\"maybe\""])
    }

    func test_environment_malformedResourceAttributes_isRejected() {
        assertMessage(message([], environment: ["OTEL_RESOURCE_ATTRIBUTES": "novalue"]), contains: ["OTEL_RESOURCE_ATTRIBUTES", "key=value"])
    }

    func test_environment_unknownSampler_isRejected() {
        assertMessage(message([], environment: ["OTEL_TRACES_SAMPLER": "sometimes"]),
                      contains: ["sampler", "\"sometimes\"", "environment OTEL_TRACES_SAMPLER", "parentbased_always_on"])
    }

    func test_environment_unknownPropagator_isRejected() {
        assertMessage(message([], environment: ["OTEL_PROPAGATORS": "tracecontext,xray"]), contains: ["propagators", "xray", "b3multi"])
    }

    func test_environment_badOTLPProtocol_isRejected() {
        assertMessage(message([], environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "http/xml"]), contains: ["otlp_protocol", "http/protobuf"])
    }

    func test_environment_negativeTimeout_isRejected() {
        assertMessage(message([], environment: ["OTEL_EXPORTER_OTLP_TIMEOUT": "-5"]), contains: ["otlp_timeout", "\"-5\""])
    }
}
