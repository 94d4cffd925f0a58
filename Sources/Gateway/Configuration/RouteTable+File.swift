extension RouteTable {
    /// The keys a route entry may have.
    static let routeKeys = [
        "path", "prefix", "upstream", "response_timeout", "tunnel_idle_timeout",
        "tracing", "sampling_rate", "propagation", "trust", "span_name", "attributes", "response_trace_header",
    ]

    /// Builds the table from the file's `routes:` section and the resolved global settings.
    ///
    /// Each entry has exactly one of `path` (a template matching the whole path) or `prefix`, and may set
    /// `upstream`, `response_timeout` and `tunnel_idle_timeout`; what it leaves out comes from the global settings.
    /// - Throws: `ConfigError` naming the entry, e.g. `routes[2].upstream`.
    public static func resolve(section: ConfigNode?, path: String, configuration: GatewayConfiguration) throws -> RouteTable {
        let limits = configuration.limits
        var fallback: Route?
        if let upstream = configuration.upstream {
            fallback = Route(template: RouteTemplate("/", isPrefix: true)!, upstream: upstream,
                             responseTimeout: limits.responseTimeout, tunnelIdleTimeout: limits.tunnelIdleTimeout)
        }
        guard let section, section != .null else {
            return RouteTable(routes: [], fallback: fallback)
        }
        guard case .sequence(let entries) = section else {
            throw ConfigError.invalidValue(key: "routes", value: "(not a list)", origin: .file(path: path, key: "routes"),
                                           allowed: "a list of routes, each with path or prefix and upstream")
        }
        var routes: [Route] = []
        for (i, entry) in entries.enumerated() {
            let name = "routes[\(i)]"
            guard case .mapping(let pairs) = entry else {
                throw ConfigError.invalidValue(key: name, value: "(not a mapping)", origin: .file(path: path, key: name),
                                               allowed: "a mapping with path or prefix and upstream")
            }
            for (key, _) in pairs where !routeKeys.contains(key) {
                throw ConfigError.unknownKey(key: "\(name).\(key)", path: path, known: routeKeys.map { "\(name).\($0)" })
            }
            func scalar(_ key: String) throws -> (String, ConfigOrigin)? {
                guard let node = entry[key], node != .null else { return nil }
                let origin = ConfigOrigin.file(path: path, key: "\(name).\(key)")
                guard case .scalar(let text) = node else {
                    throw ConfigError.invalidValue(key: "\(name).\(key)", value: "(not a scalar)", origin: origin, allowed: "a single value")
                }
                return (text, origin)
            }
            let template: RouteTemplate
            switch (try scalar("path"), try scalar("prefix")) {
            case (let (text, origin)?, nil):
                guard let t = RouteTemplate(text) else {
                    throw ConfigError.invalidValue(key: "\(name).path", value: text, origin: origin,
                                                   allowed: "a path starting with / whose {name} parts each fill a whole segment")
                }
                template = t
            case (nil, let (text, origin)?):
                guard let t = RouteTemplate(text, isPrefix: true) else {
                    throw ConfigError.invalidValue(key: "\(name).prefix", value: text, origin: origin,
                                                   allowed: "a literal path prefix starting with /")
                }
                template = t
            default:
                throw ConfigError.invalidValue(key: name, value: "(path and prefix)", origin: .file(path: path, key: name),
                                               allowed: "exactly one of path (a template) or prefix")
            }
            var upstream = configuration.upstream
            if let (text, origin) = try scalar("upstream") {
                guard let e = ServiceEndpoint.parse(text, allowBare: false) else {
                    throw ConfigError.invalidValue(key: "\(name).upstream", value: text, origin: origin,
                                                   allowed: "an http:// URL of the backend")
                }
                upstream = e
            }
            guard let upstream else {
                throw ConfigError.missingValue(key: "\(name).upstream", hint: "set it on the route or give a global upstream")
            }
            func duration(_ key: String, _ fallback: Duration) throws -> Duration {
                guard let (text, origin) = try scalar(key) else { return fallback }
                guard let d = SettingParsers.duration(text), d > .zero else {
                    throw ConfigError.invalidValue(key: "\(name).\(key)", value: text, origin: origin, allowed: "a positive duration such as 30s")
                }
                return d
            }
            func bool(_ key: String) throws -> Bool? {
                guard let (text, origin) = try scalar(key) else { return nil }
                guard let b = SettingParsers.bool(text) else {
                    throw ConfigError.invalidValue(key: "\(name).\(key)", value: text, origin: origin, allowed: "true or false")
                }
                return b
            }
            var tracing = RouteTracing.default
            tracing.enabled = try bool("tracing") ?? true
            tracing.trustIncoming = try bool("trust")
            tracing.responseTraceHeader = try bool("response_trace_header")
            if let (text, origin) = try scalar("sampling_rate") {
                guard let r = SettingParsers.double(text), (0.0...1.0).contains(r) else {
                    throw ConfigError.invalidValue(key: "\(name).sampling_rate", value: text, origin: origin, allowed: "a number from 0.0 to 1.0")
                }
                tracing.samplingRatio = r
            }
            if let (text, origin) = try scalar("propagation") {
                guard let mode = RouteTracing.Propagation(rawValue: text.lowercased()) else {
                    throw ConfigError.invalidValue(key: "\(name).propagation", value: text, origin: origin,
                                                   allowed: "propagate, extract, inject or ignore")
                }
                tracing.propagation = mode
            }
            if let (text, origin) = try scalar("span_name") {
                guard !text.isEmpty else {
                    throw ConfigError.invalidValue(key: "\(name).span_name", value: text, origin: origin, allowed: "a non-empty name")
                }
                tracing.spanName = text
            }
            if let node = entry["attributes"] {
                let origin = ConfigOrigin.file(path: path, key: "\(name).attributes")
                guard case .mapping(let attributePairs) = node else {
                    throw ConfigError.invalidValue(key: "\(name).attributes", value: "(not a mapping)", origin: origin,
                                                   allowed: "a mapping of attribute keys to constants or header:<name>")
                }
                for (key, value) in attributePairs {
                    guard case .scalar(let text) = value, !key.isEmpty else {
                        throw ConfigError.invalidValue(key: "\(name).attributes.\(key)", value: "(not a scalar)", origin: origin,
                                                       allowed: "a constant or header:<name>")
                    }
                    if text.lowercased().hasPrefix("header:") {
                        let header = String(text.dropFirst(7)).trimmingSpaces().lowercased()
                        guard !header.isEmpty, !configuration.tracing.redactHeaders.contains(header) else {
                            throw ConfigError.invalidValue(key: "\(name).attributes.\(key)", value: text, origin: origin,
                                                           allowed: "header:<name> of a header that is not redacted")
                        }
                        tracing.attributes.append(.requestHeader(key: key, header: header))
                    } else {
                        tracing.attributes.append(.constant(key: key, value: text))
                    }
                }
            }
            routes.append(Route(
                template: template, upstream: upstream,
                responseTimeout: try duration("response_timeout", limits.responseTimeout),
                tunnelIdleTimeout: try duration("tunnel_idle_timeout", limits.tunnelIdleTimeout),
                tracing: tracing))
        }
        return RouteTable(routes: routes, fallback: fallback)
    }
}
