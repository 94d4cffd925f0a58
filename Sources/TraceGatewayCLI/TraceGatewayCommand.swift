import ArgumentParser
import Foundation
import Gateway

/// The `tracegw` command line: resolves the configuration (flags > environment > file > defaults) and runs the gateway.
public struct TraceGatewayCommand: ParsableCommand {
    /// Command metadata for `--help`.
    public static let configuration = CommandConfiguration(
        commandName: "tracegw",
        abstract: "A reverse-proxy tracing gateway: traces every HTTP request to the backend with zero code changes.",
        discussion: """
            Precedence: flags win over the environment (OTEL_* variables), the environment over the \
            --config file, the file over the built-in defaults. Spans go to stdout only with the stdout \
            exporter; every log line goes to stderr.
            """
    )

    /// `--listen HOST:PORT`.
    @Option(help: "Address the gateway listens on (HOST:PORT; port 0 picks a free port). Default 127.0.0.1:8080.")
    public var listen: String?

    /// `--upstream URL`.
    @Option(help: "Backend URL, e.g. http://127.0.0.1:9000.")
    public var upstream: String?

    /// `--config FILE`.
    @Option(help: "YAML configuration file.")
    public var config: String?

    /// `--service-name NAME`.
    @Option(help: "service.name of the gateway's spans. Default tracegw.")
    public var serviceName: String?

    /// `--exporter LIST`.
    @Option(help: "Comma-separated exporters: stdout, otlp, otlp-http, jaeger, zipkin, memory, none. Default stdout.")
    public var exporter: String?

    /// `--otlp-endpoint ENDPOINT`.
    @Option(help: "OTLP endpoint: HOST:PORT or an http:// / https:// URL (the scheme decides TLS). Default localhost:4317.")
    public var otlpEndpoint: String?

    /// `--jaeger-endpoint URL`.
    @Option(help: "Jaeger collector URL. Default http://localhost:14268/api/traces.")
    public var jaegerEndpoint: String?

    /// `--sampling-rate R`.
    @Option(help: "Sampling ratio 0.0-1.0, parent-based (parentbased_traceidratio). Default 1.0.")
    public var samplingRate: String?

    /// `--stdout-format text|otlp-json`.
    @Option(help: "Format of the stdout exporter: text or otlp-json. Default text.")
    public var stdoutFormat: String?

    /// `--workers N`.
    @Option(help: "Worker threads (event loops). Default: the CPUs in the process's affinity mask.")
    public var workers: String?

    /// `--print-config`.
    @Flag(help: "Print the resolved configuration and where each value came from, then exit.")
    public var printConfig: Bool = false

    /// Creates the command with no flags set (ArgumentParser fills them in).
    public init() {}

    /// The flags that were given, as canonical keys and values.
    var flagSettings: [(flag: String, key: String, value: String)] {
        let pairs: [(String, String, String?)] = [
            ("--listen", "listen", listen),
            ("--upstream", "upstream", upstream),
            ("--service-name", "service_name", serviceName),
            ("--exporter", "exporter", exporter),
            ("--otlp-endpoint", "otlp_endpoint", otlpEndpoint),
            ("--jaeger-endpoint", "jaeger_endpoint", jaegerEndpoint),
            ("--sampling-rate", "sampling_rate", samplingRate),
            ("--stdout-format", "stdout_format", stdoutFormat),
            ("--workers", "workers", workers),
        ]
        return pairs.compactMap { flag, key, value in value.map { (flag: flag, key: key, value: $0) } }
    }

    /// Resolves the configuration from the file, the given environment and the flags.
    public func resolveConfiguration(environment: [String: String]) throws -> ResolvedSettings {
        var layers = SettingLayers()
        var fileRoot: ConfigNode = .null
        if let path = config {
            fileRoot = try ConfigFileLoader.load(path: path)
            try layers.applyFile(fileRoot, path: path)
        }
        try layers.applyEnvironment(environment)
        for setting in flagSettings {
            layers.set(setting.key, setting.value, from: .flag(name: setting.flag))
        }
        let gateway = try GatewayConfiguration.resolve(layers: layers, availableExporters: ExporterCatalog.available)
        return ResolvedSettings(gateway: gateway, fileRoot: fileRoot, filePath: config)
    }

    /// Runs the command.
    public func run() throws {
        let settings: ResolvedSettings
        do {
            settings = try resolveConfiguration(environment: ProcessInfo.processInfo.environment)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("tracegw: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if printConfig {
            print(settings.gateway.renderedForPrinting(), terminator: "")
            return
        }
        LoggingBootstrap.bootstrap(level: settings.gateway.logLevel)
        try GatewayLauncher.run(settings, command: self)
    }
}

/// The resolved configuration plus the raw file tree for the nested sections.
public struct ResolvedSettings: Sendable {
    /// The scalar settings.
    public var gateway: GatewayConfiguration
    /// The parsed configuration file (or `.null`), for sections such as `routes`.
    public var fileRoot: ConfigNode
    /// The configuration file's path, if one was given.
    public var filePath: String?
}
