import NetIO

extension GatewayConfiguration {
    /// Resolves typed settings from layered raw text, validating every value.
    ///
    /// - Parameters:
    ///   - layers: raw values from the file, environment and flags (see `SettingLayers`).
    ///   - availableExporters: the exporters this build contains; naming another stops start-up.
    /// - Throws: `ConfigError` naming the key, the value, its origin and what is allowed.
    public static func resolve(
        layers: SettingLayers,
        availableExporters: Set<ExporterKind>
    ) throws -> GatewayConfiguration {
        var reader = SettingReader(layers: layers)

        let listen = try reader.value("listen") { ServiceEndpoint.parse($0, allowBare: true) }
        guard listen.scheme == nil else {
            throw reader.invalid("listen", "HOST:PORT without a scheme")
        }
        let upstream = try reader.value("upstream") { text -> ServiceEndpoint?? in
            if text.isEmpty { return .some(nil) }
            guard let e = ServiceEndpoint.parse(text, allowBare: false), e.scheme == "http" || e.scheme == "https" else {
                return nil
            }
            return .some(e)
        }
        let workers = try reader.value("workers") { text -> Int?? in
            if text == "auto" { return .some(nil) }
            guard let n = SettingParsers.int(text), (1...256).contains(n) else { return nil }
            return .some(n)
        }
        let logLevel = try reader.value("log_level") { text -> String? in
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            return levels.contains(text.lowercased()) ? text.lowercased() : nil
        }
        let loopDriver = try reader.value("loop_driver") { text -> EventLoopDriver? in
            switch text.lowercased() {
            case "dispatch_source": return .dispatchSource
            case "blocking_thread": return .blockingThread
            default: return nil
            }
        }
        // A bare 0 means off; anything else needs a unit. Polling longer than 1 ms would only burn the core.
        let busyPoll = try reader.value("busy_poll") { text -> Duration? in
            guard let duration = SettingParsers.duration(text, bareUnitNanoseconds: text.trimmingSpaces() == "0" ? 1 : nil),
                  duration <= .milliseconds(1) else { return nil }
            return duration
        }
        let enabled = try reader.value("enabled", SettingParsers.bool)
        let serviceName = try reader.value("service_name") { $0.isEmpty ? nil : $0 }
        let serviceVersion = try reader.value("service_version") { $0.isEmpty ? nil : $0 }
        let environment = try reader.value("environment") { $0.isEmpty ? nil : $0 }

        let exporters = try reader.value("exporter") { text -> [ExporterKind]? in
            let names = SettingParsers.list(text)
            guard !names.isEmpty else { return nil }
            var kinds: [ExporterKind] = []
            for name in names {
                let normalized = name.lowercased() == "console" ? "stdout" : name.lowercased()
                guard let kind = ExporterKind(rawValue: normalized) else { return nil }
                if !kinds.contains(kind) { kinds.append(kind) }
            }
            if kinds.contains(.none) && kinds.count > 1 { return nil }
            return kinds
        }
        for kind in exporters where !availableExporters.contains(kind) {
            let entry = reader.entry("exporter")
            throw ConfigError.invalidValue(
                key: "exporter", value: kind.rawValue, origin: entry.origin,
                allowed: "exporter \(kind.rawValue) is not available in this build (available: \(ExporterKind.allCases.filter { availableExporters.contains($0) }.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        let stdoutFormat = try reader.value("stdout_format") { StdoutFormat(rawValue: $0.lowercased()) }
        let httpURL: (String) -> ServiceEndpoint? = { ServiceEndpoint.parse($0, allowBare: false) }
        let jaegerEndpoint = try reader.value("jaeger_endpoint", httpURL)
        let otlpEndpoint = try reader.value("otlp_endpoint") { ServiceEndpoint.parse($0, allowBare: true) }
        let otlpEndpointIsSignalSpecific = reader.entry("otlp_endpoint").origin == .environment(name: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        let otlpProtocol = try reader.value("otlp_protocol") { OTLPProtocol(rawValue: $0.lowercased()) }
        let otlpHeaders = try reader.value("otlp_headers") { text -> [(name: String, value: String)]? in
            guard let pairs = KeyValueList.parse(text) else { return nil }
            return pairs.map { (name: $0.key, value: $0.value) }
        }
        let otlpTimeout = try reader.value("otlp_timeout") { positive(SettingParsers.duration($0, bareUnitNanoseconds: reader.bareUnit("otlp_timeout"))) }
        let otlpCompression = try reader.value("otlp_compression") { ["none", "gzip"].contains($0.lowercased()) ? $0.lowercased() : nil }
        let zipkinEndpoint = try reader.value("zipkin_endpoint", httpURL)
        let otlpEndpointIsDefault = reader.entry("otlp_endpoint").origin == .builtInDefault
        let optionalPath: (String) -> String?? = { text in .some(text.isEmpty ? nil : text) }
        let otlpCertificate = try reader.value("otlp_certificate", optionalPath)
        let otlpClientKey = try reader.value("otlp_client_key", optionalPath)
        let otlpClientCertificate = try reader.value("otlp_client_certificate", optionalPath)
        let otlpInsecure = try reader.value("otlp_insecure", SettingParsers.bool)

        let ratioParser: (String) -> Double? = { text in
            guard let r = SettingParsers.double(text), (0.0...1.0).contains(r) else { return nil }
            return r
        }
        let samplingRate = try reader.value("sampling_rate", ratioParser)
        let samplerName = try reader.value("sampler") { SamplerName(rawValue: $0.lowercased()) }
        let samplerArg = try reader.value("sampler_arg") { text -> Double?? in
            text.isEmpty ? .some(nil) : ratioParser(text).map { .some($0) }
        }
        // SamplingRate R means parentbased_traceidratio(R); an explicit sampler from a higher layer replaces it.
        let sampler: SamplerName
        let ratio: Double
        if reader.entry("sampler").origin.precedence > reader.entry("sampling_rate").origin.precedence {
            sampler = samplerName
            ratio = samplerArg ?? 1.0
        } else {
            sampler = .parentBasedTraceIDRatio
            ratio = samplingRate
        }

        let propagators = try reader.value("propagators") { text -> [String]? in
            let known = ["tracecontext", "baggage", "b3", "b3multi", "none"]
            let names = SettingParsers.list(text).map { $0.lowercased() }
            guard !names.isEmpty, names.allSatisfy(known.contains) else { return nil }
            return names
        }
        let resourceAttributes = try reader.value("resource_attributes") { KeyValueList.parse($0) }
        let maxQueueSize = try reader.value("max_queue_size") { text -> Int? in
            guard let n = SettingParsers.int(text), (1...1_048_576).contains(n) else { return nil }
            return n
        }
        // An explicit batch size above the queue is an error; the default batch size shrinks to fit the queue.
        let batchSizeIsDefault = reader.entry("max_export_batch_size").origin == .builtInDefault
        let maxExportBatchSize = try reader.value("max_export_batch_size") { text -> Int? in
            guard let n = SettingParsers.int(text), n >= 1 else { return nil }
            if batchSizeIsDefault { return min(n, maxQueueSize) }
            return n <= maxQueueSize ? n : nil
        }
        let exportTimeout = try reader.value("export_timeout") { positive(SettingParsers.duration($0, bareUnitNanoseconds: reader.bareUnit("export_timeout"))) }
        let scheduleDelay = try reader.value("schedule_delay") { positive(SettingParsers.duration($0, bareUnitNanoseconds: reader.bareUnit("schedule_delay"))) }

        let limits = try ProxyLimits.resolve(reader)
        let tracing = try GatewayTracingOptions.resolve(reader)

        return GatewayConfiguration(
            listen: listen, upstream: upstream, workers: workers, loopDriver: loopDriver, busyPoll: busyPoll, limits: limits, tracing: tracing, logLevel: logLevel,
            enabled: enabled, serviceName: serviceName, serviceVersion: serviceVersion, environment: environment,
            exporters: exporters, stdoutFormat: stdoutFormat, jaegerEndpoint: jaegerEndpoint,
            otlpEndpoint: otlpEndpoint, otlpEndpointIsSignalSpecific: otlpEndpointIsSignalSpecific,
            otlpProtocol: otlpProtocol, otlpHeaders: otlpHeaders, otlpTimeout: otlpTimeout,
            otlpCompression: otlpCompression, otlpEndpointIsDefault: otlpEndpointIsDefault,
            otlpCertificate: otlpCertificate, otlpClientKey: otlpClientKey, otlpClientCertificate: otlpClientCertificate,
            otlpInsecure: otlpInsecure, zipkinEndpoint: zipkinEndpoint, sampler: sampler,
            samplingRatio: ratio, propagators: propagators, resourceAttributes: resourceAttributes,
            maxExportBatchSize: maxExportBatchSize, maxQueueSize: maxQueueSize, exportTimeout: exportTimeout,
            scheduleDelay: scheduleDelay,
            provenance: GatewaySetting.all.map { setting in
                let entry = reader.entry(setting.key)
                return (key: setting.key, value: entry.text, origin: entry.origin)
            }
        )
    }
}

/// A duration that must be greater than zero.
private func positive(_ d: Duration?) -> Duration? {
    guard let d, d > .zero else { return nil }
    return d
}

/// Reads typed values from `SettingLayers`, falling back to the catalogue default.
struct SettingReader {
    let layers: SettingLayers

    /// The winning entry for a key, or its default.
    func entry(_ key: String) -> SettingLayers.Entry {
        if let e = layers.entry(key) { return e }
        guard let setting = GatewaySetting.named(key) else {
            preconditionFailure("setting \(key) missing from GatewaySetting.all")
        }
        return SettingLayers.Entry(text: setting.defaultText, origin: .builtInDefault)
    }

    /// OTEL_* variables give durations as bare milliseconds; files and flags must write a unit.
    func bareUnit(_ key: String) -> Int64? {
        if case .environment = entry(key).origin { return 1_000_000 }
        return nil
    }

    /// Parses the key's winning value, or throws a `ConfigError.invalidValue` naming it.
    func value<T>(_ key: String, _ parse: (String) -> T?) throws -> T {
        let e = entry(key)
        guard let v = parse(e.text) else { throw invalid(key, nil) }
        return v
    }

    /// The error for an invalid value of `key`.
    func invalid(_ key: String, _ allowedOverride: String?) -> ConfigError {
        let e = entry(key)
        let allowed = allowedOverride ?? GatewaySetting.named(key)?.allowed ?? "a valid value"
        return .invalidValue(key: key, value: e.text, origin: e.origin, allowed: allowed)
    }
}

/// Parses `key=value,key2=value2` lists as OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS write them
/// (values percent-decoded, spaces around items trimmed).
public enum KeyValueList {
    /// The pairs in order, or nil when an item has no `=` or an empty key, or a bad percent escape.
    public static func parse(_ text: String) -> [(key: String, value: String)]? {
        var result: [(key: String, value: String)] = []
        for item in text.split(separator: ",") {
            let trimmed = String(item).trimmingSpaces()
            if trimmed.isEmpty { continue }
            guard let eq = trimmed.firstIndex(of: "=") else { return nil }
            let key = String(trimmed[..<eq]).trimmingSpaces()
            guard !key.isEmpty, let value = percentDecode(String(trimmed[trimmed.index(after: eq)...]).trimmingSpaces()) else {
                return nil
            }
            result.append((key: key, value: value))
        }
        return result
    }

    /// Decodes `%XX` escapes; nil on a malformed escape or invalid UTF-8.
    static func percentDecode(_ s: String) -> String? {
        guard s.contains("%") else { return s }
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard it.count >= 2, let hi = hexValue(it.popFirst()!), let lo = hexValue(it.popFirst()!) else { return nil }
                bytes.append(hi << 4 | lo)
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
