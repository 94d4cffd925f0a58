/// The catalogue of scalar settings: every key's canonical (file) name, default, flag and what it allows.
///
/// This is the one place where a setting's default lives. Nested sections (`routes`, `limits`) are parsed
/// separately. Environment variables map onto these keys in `GatewayConfiguration+Environment.swift`.
public struct GatewaySetting: Sendable {
    /// The canonical key, as written at the top level of the YAML file.
    public let key: String
    /// The built-in default, as text.
    public let defaultText: String
    /// The command-line flag, if any.
    public let flag: String?
    /// What values are allowed, for error messages.
    public let allowed: String

    /// Every scalar setting, in the order `--print-config` shows them.
    public static let all: [GatewaySetting] = [
        // Proxy.
        .init(key: "listen", defaultText: "127.0.0.1:8080", flag: "--listen", allowed: "HOST:PORT (port 0 picks a free port)"),
        .init(key: "upstream", defaultText: "", flag: "--upstream", allowed: "an http:// URL of the backend, e.g. http://127.0.0.1:9000"),
        .init(key: "workers", defaultText: "auto", flag: "--workers", allowed: "auto or an integer 1...256"),
        .init(key: "log_level", defaultText: "info", flag: nil, allowed: "trace, debug, info, notice, warning, error, critical"),
        .init(key: "loop_driver", defaultText: "dispatch_source", flag: nil, allowed: "dispatch_source (a Dispatch read source per loop over its epoll) or blocking_thread (a thread blocked in epoll_wait)"),
        .init(key: "busy_poll", defaultText: "0", flag: nil, allowed: "a duration from 0 (off) to 1ms, such as 30us: how long a drained event loop polls before it blocks"),
        // Tracing: the seed's options (tracing-package-README), with the gateway's defaults.
        .init(key: "enabled", defaultText: "true", flag: nil, allowed: "true or false"),
        .init(key: "service_name", defaultText: "tracegw", flag: "--service-name", allowed: "a non-empty name"),
        .init(key: "service_version", defaultText: "1.0.0", flag: nil, allowed: "a non-empty version"),
        .init(key: "environment", defaultText: "development", flag: nil, allowed: "a non-empty name"),
        .init(key: "exporter", defaultText: "stdout", flag: "--exporter", allowed: "a comma-separated list of stdout, otlp, otlp-http, jaeger, zipkin, memory, none"),
        .init(key: "stdout_format", defaultText: "text", flag: "--stdout-format", allowed: "text or otlp-json"),
        .init(key: "jaeger_endpoint", defaultText: "http://localhost:14268/api/traces", flag: "--jaeger-endpoint", allowed: "an http:// or https:// URL"),
        .init(key: "otlp_endpoint", defaultText: "localhost:4317", flag: "--otlp-endpoint", allowed: "HOST:PORT or an http:// or https:// URL"),
        .init(key: "otlp_protocol", defaultText: "grpc", flag: nil, allowed: "grpc, http/protobuf or http/json"),
        .init(key: "otlp_headers", defaultText: "", flag: nil, allowed: "comma-separated key=value pairs"),
        .init(key: "otlp_timeout", defaultText: "10s", flag: nil, allowed: "a duration such as 10s"),
        .init(key: "otlp_compression", defaultText: "none", flag: nil, allowed: "none or gzip"),
        .init(key: "otlp_certificate", defaultText: "", flag: nil, allowed: "a PEM file of CA certificates trusted for the collector (empty: the system CAs)"),
        .init(key: "otlp_client_key", defaultText: "", flag: nil, allowed: "a PEM private key file for mutual TLS"),
        .init(key: "otlp_client_certificate", defaultText: "", flag: nil, allowed: "a PEM certificate chain file for mutual TLS"),
        .init(key: "otlp_insecure", defaultText: "false", flag: nil, allowed: "true or false (true: plaintext gRPC to a HOST:PORT endpoint)"),
        .init(key: "zipkin_endpoint", defaultText: "http://localhost:9411/api/v2/spans", flag: nil, allowed: "an http:// or https:// URL"),
        .init(key: "sampling_rate", defaultText: "1.0", flag: "--sampling-rate", allowed: "a number from 0.0 to 1.0"),
        .init(key: "sampler", defaultText: "parentbased_traceidratio", flag: nil, allowed: "always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio"),
        .init(key: "sampler_arg", defaultText: "", flag: nil, allowed: "a number from 0.0 to 1.0"),
        .init(key: "propagators", defaultText: "tracecontext,baggage", flag: nil, allowed: "a comma-separated list of tracecontext, baggage, b3, b3multi, none"),
        .init(key: "resource_attributes", defaultText: "", flag: nil, allowed: "comma-separated key=value pairs"),
        .init(key: "max_export_batch_size", defaultText: "512", flag: nil, allowed: "an integer from 1 to max_queue_size"),
        .init(key: "max_queue_size", defaultText: "2048", flag: nil, allowed: "an integer from 1 to 1048576"),
        .init(key: "export_timeout", defaultText: "30s", flag: nil, allowed: "a positive duration such as 30s"),
        .init(key: "schedule_delay", defaultText: "5s", flag: nil, allowed: "a positive duration such as 5s"),
        // Tracing in the gateway (issue 4): spans, propagation, trust, header capture.
        .init(key: "client_spans", defaultText: "true", flag: nil, allowed: "true or false (a CLIENT span per backend attempt)"),
        .init(key: "response_trace_header", defaultText: "true", flag: nil, allowed: "true or false (Server-Timing trace;desc=... on responses)"),
        .init(key: "traceresponse_header", defaultText: "false", flag: nil, allowed: "true or false (the older traceresponse header)"),
        .init(key: "trust_incoming_trace", defaultText: "true", flag: nil, allowed: "true or false (false: callers' trace context becomes a link on a new trace)"),
        .init(key: "trusted_proxies", defaultText: "", flag: nil, allowed: "a comma-separated list of CIDRs whose Forwarded/X-Forwarded-For are believed"),
        .init(key: "capture_request_headers", defaultText: "", flag: nil, allowed: "a comma-separated list of request header names to record"),
        .init(key: "capture_response_headers", defaultText: "", flag: nil, allowed: "a comma-separated list of response header names to record"),
        .init(key: "redact_headers", defaultText: "authorization,proxy-authorization,cookie,set-cookie,x-api-key", flag: nil, allowed: "a comma-separated list of header names never recorded"),
        .init(key: "record_url_query", defaultText: "false", flag: nil, allowed: "true or false (record url.query on server spans)"),
        // Limits: every size, count and time the proxy enforces (file section `limits:`).
        .init(key: "limits.max_request_line", defaultText: "8KiB", flag: nil, allowed: "a size from 256B to 1MiB (longer request lines get 414)"),
        .init(key: "limits.max_header_block", defaultText: "64KiB", flag: nil, allowed: "a size from 1KiB to 16MiB (larger header blocks get 431)"),
        .init(key: "limits.max_header_count", defaultText: "100", flag: nil, allowed: "an integer from 1 to 10000 (more fields get 431)"),
        .init(key: "limits.max_body_size", defaultText: "0", flag: nil, allowed: "a size; 0 means unlimited (larger bodies get 413)"),
        .init(key: "limits.header_read_timeout", defaultText: "10s", flag: nil, allowed: "a positive duration (slow clients get 408)"),
        .init(key: "limits.client_body_timeout", defaultText: "60s", flag: nil, allowed: "a positive duration between two reads of a request body"),
        .init(key: "limits.send_timeout", defaultText: "60s", flag: nil, allowed: "a positive duration a stalled client may block a write"),
        .init(key: "limits.response_timeout", defaultText: "60s", flag: nil, allowed: "a positive duration to wait for the backend's response (then 504)"),
        .init(key: "limits.keepalive_timeout", defaultText: "75s", flag: nil, allowed: "a positive duration an idle client connection stays open"),
        .init(key: "limits.backend_connect_timeout", defaultText: "10s", flag: nil, allowed: "a positive duration to connect to the backend (then 502)"),
        .init(key: "limits.backend_idle_timeout", defaultText: "60s", flag: nil, allowed: "a positive duration an idle pooled backend connection is kept"),
        .init(key: "limits.backend_max_idle_connections", defaultText: "1024", flag: nil, allowed: "an integer from 0 to 100000, per worker and backend"),
        .init(key: "limits.backend_max_connections", defaultText: "1024", flag: nil, allowed: "an integer from 1 to 100000, per worker and backend (then 503)"),
        .init(key: "limits.max_connections", defaultText: "10000", flag: nil, allowed: "an integer from 1 to 1000000 client connections"),
        .init(key: "limits.drain_timeout", defaultText: "30s", flag: nil, allowed: "a positive duration requests in flight may finish after SIGTERM"),
        .init(key: "limits.tunnel_idle_timeout", defaultText: "300s", flag: nil, allowed: "a positive duration an idle WebSocket tunnel stays open"),
        .init(key: "limits.upgrade_allowlist", defaultText: "websocket", flag: nil, allowed: "a comma-separated list of Upgrade protocols to tunnel (h2c is never allowed)"),
    ]

    /// The setting for a canonical key.
    public static func named(_ key: String) -> GatewaySetting? { all.first { $0.key == key } }
}
