@testable import Gateway
import XCTest

@testable import TraceGatewayCLI

/// The exporter settings of issue 5: OTLP TLS variables, endpoint rules per protocol, protocol selection.
final class ExporterSettingsTests: XCTestCase {
    private func resolve(_ arguments: [String] = [], environment: [String: String] = [:]) throws -> GatewayConfiguration {
        let command = try TraceGatewayCommand.parse(arguments)
        return try command.resolveConfiguration(environment: environment).gateway
    }

    func test_catalog_containsEveryNetworkExporter() {
        for kind: GatewayConfiguration.ExporterKind in [.otlp, .otlpHTTP, .jaeger, .zipkin] {
            XCTAssertTrue(ExporterCatalog.available.contains(kind), kind.rawValue)
        }
    }

    func test_tlsVariables_generalAndTracesForms_areRead_tracesWins() throws {
        let config = try resolve(environment: [
            "OTEL_EXPORTER_OTLP_CERTIFICATE": "/etc/general-ca.pem",
            "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE": "/etc/traces-ca.pem",
            "OTEL_EXPORTER_OTLP_CLIENT_KEY": "/etc/key.pem",
            "OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE": "/etc/cert.pem",
            "OTEL_EXPORTER_OTLP_INSECURE": "true",
        ])
        XCTAssertEqual(config.otlpCertificate, "/etc/traces-ca.pem")
        XCTAssertEqual(config.otlpClientKey, "/etc/key.pem")
        XCTAssertEqual(config.otlpClientCertificate, "/etc/cert.pem")
        XCTAssertTrue(config.otlpInsecure)
    }

    func test_tlsVariables_unset_areNilAndSecure() throws {
        let config = try resolve()
        XCTAssertNil(config.otlpCertificate)
        XCTAssertNil(config.otlpClientKey)
        XCTAssertFalse(config.otlpInsecure)
        XCTAssertTrue(config.otlpEndpointIsDefault)
    }

    func test_insecure_malformed_isRefused() {
        XCTAssertThrowsError(try resolve(environment: ["OTEL_EXPORTER_OTLP_INSECURE": "maybe"]))
    }

    func test_defaultEndpoint_perProtocol() throws {
        let config = try resolve()
        XCTAssertEqual(config.otlpGRPCTarget, ExporterTarget(host: "localhost", port: 4317, path: "", usesTLS: false))
        XCTAssertEqual(config.otlpHTTPTarget, ExporterTarget(host: "localhost", port: 4318, path: "/v1/traces", usesTLS: false))
    }

    func test_httpTarget_generalEndpoint_appendsV1Traces() throws {
        let plain = try resolve(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"])
        XCTAssertEqual(plain.otlpHTTPTarget, ExporterTarget(host: "collector", port: 4318, path: "/v1/traces", usesTLS: false))
        let prefixed = try resolve(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector/otlp/"])
        XCTAssertEqual(prefixed.otlpHTTPTarget, ExporterTarget(host: "collector", port: 443, path: "/otlp/v1/traces", usesTLS: true))
    }

    func test_httpTarget_tracesEndpoint_usedExactlyAsGiven() throws {
        let config = try resolve(environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://ignored:1",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:9999/custom/traces",
        ])
        XCTAssertEqual(config.otlpHTTPTarget, ExporterTarget(host: "collector", port: 9999, path: "/custom/traces", usesTLS: false))
    }

    func test_grpcTarget_schemeDecidesTLS_hostPortUsesTLSUnlessInsecure() throws {
        XCTAssertFalse(try resolve(["--otlp-endpoint", "http://c:4317"]).otlpGRPCTarget.usesTLS)
        XCTAssertTrue(try resolve(["--otlp-endpoint", "https://c:4317"]).otlpGRPCTarget.usesTLS)
        XCTAssertTrue(try resolve(["--otlp-endpoint", "c:4317"]).otlpGRPCTarget.usesTLS)
        XCTAssertFalse(try resolve(["--otlp-endpoint", "c:4317"], environment: ["OTEL_EXPORTER_OTLP_INSECURE": "true"]).otlpGRPCTarget.usesTLS)
        XCTAssertTrue(try resolve(["--otlp-endpoint", "https://c:4317"], environment: ["OTEL_EXPORTER_OTLP_INSECURE": "true"]).otlpGRPCTarget.usesTLS)
    }

    func test_protocol_otlpFollowsSetting_otlpHTTPIsProtobufUnlessJSON() throws {
        let grpc = try resolve()
        XCTAssertEqual(grpc.otlpProtocol(for: .otlp), .grpc)
        XCTAssertEqual(grpc.otlpProtocol(for: .otlpHTTP), .httpProtobuf)
        let json = try resolve(environment: ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/json"])
        XCTAssertEqual(json.otlpProtocol(for: .otlp), .httpJSON)
        XCTAssertEqual(json.otlpProtocol(for: .otlpHTTP), .httpJSON)
        let proto = try resolve(environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"])
        XCTAssertEqual(proto.otlpProtocol(for: .otlp), .httpProtobuf)
    }

    func test_pipeline_withNetworkExporters_buildsAndShutsDown() throws {
        let config = try resolve(["--exporter", "otlp,otlp-http,jaeger,zipkin"],
                                 environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1"])
        let pipeline = try TracingPipeline(configuration: config)
        XCTAssertTrue(pipeline.isEnabled)
        XCTAssertTrue(pipeline.shutdown(timeout: .seconds(5)))
        XCTAssertEqual(pipeline.droppedSpanCount, 0)
    }

    func test_pipeline_missingCAFile_isAConfigurationError() throws {
        let config = try resolve(["--exporter", "otlp"], environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "https://127.0.0.1:4317",
            "OTEL_EXPORTER_OTLP_CERTIFICATE": "/nonexistent/ca.pem",
        ])
        XCTAssertThrowsError(try TracingPipeline(configuration: config)) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/ca.pem"), "\(error)")
        }
    }
}
