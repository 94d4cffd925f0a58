extension SettingLayers {
    /// Direct mappings from the OpenTelemetry SDK environment variables to canonical keys.
    ///
    /// Signal-specific `…_TRACES_…` variables come after the general ones so they win (OTel spec,
    /// "Configuration of the OTLP exporter"). OTEL_* durations stay in milliseconds; see `SettingReader.bareUnit`.
    static let environmentMappings: [(variable: String, key: String)] = [
        ("TRACEGW_LISTEN", "listen"),
        ("TRACEGW_UPSTREAM", "upstream"),
        ("TRACEGW_WORKERS", "workers"),
        ("TRACEGW_LOG_LEVEL", "log_level"),
        ("TRACEGW_LOOP_DRIVER", "loop_driver"),
        ("TRACEGW_BUSY_POLL", "busy_poll"),
        ("OTEL_TRACES_EXPORTER", "exporter"),
        ("OTEL_EXPORTER_JAEGER_ENDPOINT", "jaeger_endpoint"),
        ("OTEL_EXPORTER_ZIPKIN_ENDPOINT", "zipkin_endpoint"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "otlp_endpoint"),
        ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "otlp_endpoint"),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "otlp_protocol"),
        ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "otlp_protocol"),
        ("OTEL_EXPORTER_OTLP_HEADERS", "otlp_headers"),
        ("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "otlp_headers"),
        ("OTEL_EXPORTER_OTLP_TIMEOUT", "otlp_timeout"),
        ("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "otlp_timeout"),
        ("OTEL_EXPORTER_OTLP_COMPRESSION", "otlp_compression"),
        ("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "otlp_compression"),
        ("OTEL_EXPORTER_OTLP_CERTIFICATE", "otlp_certificate"),
        ("OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", "otlp_certificate"),
        ("OTEL_EXPORTER_OTLP_CLIENT_KEY", "otlp_client_key"),
        ("OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY", "otlp_client_key"),
        ("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", "otlp_client_certificate"),
        ("OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE", "otlp_client_certificate"),
        ("OTEL_EXPORTER_OTLP_INSECURE", "otlp_insecure"),
        ("OTEL_EXPORTER_OTLP_TRACES_INSECURE", "otlp_insecure"),
        ("OTEL_TRACES_SAMPLER", "sampler"),
        ("OTEL_TRACES_SAMPLER_ARG", "sampler_arg"),
        ("OTEL_PROPAGATORS", "propagators"),
        ("OTEL_BSP_SCHEDULE_DELAY", "schedule_delay"),
        ("OTEL_BSP_EXPORT_TIMEOUT", "export_timeout"),
        ("OTEL_BSP_MAX_QUEUE_SIZE", "max_queue_size"),
        ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "max_export_batch_size"),
    ]

    /// Applies the process environment (passed in, so tests stay pure).
    ///
    /// Besides the direct mappings: OTEL_SDK_DISABLED=true turns tracing off; OTEL_RESOURCE_ATTRIBUTES sets extra
    /// resource attributes, and its `service.name`, `service.version` and `deployment.environment(.name)` entries set
    /// those options unless OTEL_SERVICE_NAME (which always wins for the name) is set.
    /// - Throws: `ConfigError.invalidValue` for a malformed OTEL_SDK_DISABLED or OTEL_RESOURCE_ATTRIBUTES.
    public mutating func applyEnvironment(_ environment: [String: String]) throws {
        for (variable, key) in Self.environmentMappings {
            if let value = environment[variable], !value.trimmingSpaces().isEmpty {
                set(key, value.trimmingSpaces(), from: .environment(name: variable))
            }
        }
        if let text = environment["OTEL_RESOURCE_ATTRIBUTES"], !text.isEmpty {
            let origin = ConfigOrigin.environment(name: "OTEL_RESOURCE_ATTRIBUTES")
            guard let pairs = KeyValueList.parse(text) else {
                throw ConfigError.invalidValue(
                    key: "resource_attributes", value: text, origin: origin,
                    allowed: "comma-separated key=value pairs with percent-encoded values")
            }
            var extra: [String] = []
            for (key, value) in pairs {
                switch key {
                case "service.name": set("service_name", value, from: origin)
                case "service.version": set("service_version", value, from: origin)
                case "deployment.environment", "deployment.environment.name": set("environment", value, from: origin)
                default: extra.append("\(key)=\(value)")
                }
            }
            set("resource_attributes", extra.joined(separator: ","), from: origin)
        }
        if let name = environment["OTEL_SERVICE_NAME"], !name.isEmpty {
            set("service_name", name, from: .environment(name: "OTEL_SERVICE_NAME"))
        }
        if let disabled = environment["OTEL_SDK_DISABLED"], !disabled.isEmpty {
            let origin = ConfigOrigin.environment(name: "OTEL_SDK_DISABLED")
            switch disabled.trimmingSpaces().lowercased() {
            case "true": set("enabled", "false", from: origin)
            case "false": break
            default:
                throw ConfigError.invalidValue(key: "enabled", value: disabled, origin: origin, allowed: "true or false")
            }
        }
    }
}
