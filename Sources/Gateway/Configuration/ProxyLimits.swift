/// Every size, count and time the proxy enforces, resolved from the `limits:` section (defaults in `GatewaySetting`).
///
/// Sizes in bytes, times as `Duration`. A worker reads them once; hot paths compare against the stored numbers.
public struct ProxyLimits: Sendable, Equatable {
    /// Longest request line; longer gets 414 (`limits.max_request_line`, default 8 KiB).
    public var maxRequestLine: Int
    /// Largest header (and trailer) block; larger gets 431 (`limits.max_header_block`, default 64 KiB).
    public var maxHeaderBlock: Int
    /// Most header fields; more gets 431 (`limits.max_header_count`, default 100).
    public var maxHeaderCount: Int
    /// Largest request body, nil for unlimited; larger gets 413 (`limits.max_body_size`, default unlimited).
    public var maxBodySize: Int?
    /// Time to receive a whole request head; then 408 and close (`limits.header_read_timeout`, default 10 s).
    public var headerReadTimeout: Duration
    /// Longest pause between two reads of a request body (`limits.client_body_timeout`, default 60 s).
    public var clientBodyTimeout: Duration
    /// Longest a stalled client may keep a write pending (`limits.send_timeout`, default 60 s).
    public var sendTimeout: Duration
    /// Time to wait for the backend's response head, and between its reads (`limits.response_timeout`, 60 s → 504).
    public var responseTimeout: Duration
    /// How long an idle client keep-alive connection stays open (`limits.keepalive_timeout`, default 75 s).
    public var keepAliveTimeout: Duration
    /// Time to connect to a backend (`limits.backend_connect_timeout`, default 10 s → 502).
    public var backendConnectTimeout: Duration
    /// How long an idle pooled backend connection is kept (`limits.backend_idle_timeout`, default 60 s).
    public var backendIdleTimeout: Duration
    /// Idle backend connections kept per worker and backend (`limits.backend_max_idle_connections`, default 1024).
    public var backendMaxIdleConnections: Int
    /// Open backend connections per worker and backend (`limits.backend_max_connections`, default 1024 → 503).
    public var backendMaxConnections: Int
    /// Open client connections for the whole process (`limits.max_connections`, default 10000).
    public var maxConnections: Int
    /// How long requests in flight may finish after SIGTERM (`limits.drain_timeout`, default 30 s).
    public var drainTimeout: Duration
    /// How long an idle WebSocket tunnel stays open (`limits.tunnel_idle_timeout`, default 300 s).
    public var tunnelIdleTimeout: Duration
    /// Upgrade protocols that are tunnelled, lowercased (`limits.upgrade_allowlist`, default websocket; never h2c).
    public var upgradeAllowlist: [String]

    /// Resolves the limits from layered settings.
    static func resolve(_ reader: SettingReader) throws -> ProxyLimits {
        func size(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
            try reader.value(key) { text -> Int? in
                guard let n = SettingParsers.size(text), range.contains(n) else { return nil }
                return n
            }
        }
        func count(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
            try reader.value(key) { text -> Int? in
                guard let n = SettingParsers.int(text), range.contains(n) else { return nil }
                return n
            }
        }
        func duration(_ key: String) throws -> Duration {
            try reader.value(key) { text -> Duration? in
                guard let d = SettingParsers.duration(text), d > .zero else { return nil }
                return d
            }
        }
        let body = try reader.value("limits.max_body_size") { SettingParsers.size($0) }
        let allowlist = try reader.value("limits.upgrade_allowlist") { text -> [String]? in
            let names = SettingParsers.list(text).map { $0.lowercased() }
            return names.contains("h2c") ? nil : names
        }
        return ProxyLimits(
            maxRequestLine: try size("limits.max_request_line", 256...(1 << 20)),
            maxHeaderBlock: try size("limits.max_header_block", 1024...(16 << 20)),
            maxHeaderCount: try count("limits.max_header_count", 1...10_000),
            maxBodySize: body == 0 ? nil : body,
            headerReadTimeout: try duration("limits.header_read_timeout"),
            clientBodyTimeout: try duration("limits.client_body_timeout"),
            sendTimeout: try duration("limits.send_timeout"),
            responseTimeout: try duration("limits.response_timeout"),
            keepAliveTimeout: try duration("limits.keepalive_timeout"),
            backendConnectTimeout: try duration("limits.backend_connect_timeout"),
            backendIdleTimeout: try duration("limits.backend_idle_timeout"),
            backendMaxIdleConnections: try count("limits.backend_max_idle_connections", 0...100_000),
            backendMaxConnections: try count("limits.backend_max_connections", 1...100_000),
            maxConnections: try count("limits.max_connections", 1...1_000_000),
            drainTimeout: try duration("limits.drain_timeout"),
            tunnelIdleTimeout: try duration("limits.tunnel_idle_timeout"),
            upgradeAllowlist: allowlist
        )
    }
}
