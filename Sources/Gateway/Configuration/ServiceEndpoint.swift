/// A network endpoint written as `HOST:PORT` or as an `http://` / `https://` URL with an optional path.
///
/// Used for `--upstream`, `--otlp-endpoint`, the Jaeger and Zipkin endpoints. The scheme decides TLS; a bare
/// `HOST:PORT` has no scheme. IPv6 literals are written in brackets: `[::1]:4317`.
public struct ServiceEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// The URL scheme, lowercased, or nil for a bare `HOST:PORT`.
    public var scheme: String?
    /// The host name or IP literal, without brackets.
    public var host: String
    /// The port; defaulted from the scheme (80/443) when the URL has none.
    public var port: Int
    /// The path including a leading `/`, or empty.
    public var path: String

    /// True when the scheme asks for TLS.
    public var usesTLS: Bool { scheme == "https" }

    /// Creates an endpoint from its parts.
    public init(scheme: String?, host: String, port: Int, path: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
    }

    /// The `host:port` authority, with brackets around IPv6 literals.
    public var authority: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    public var description: String {
        if let scheme { return "\(scheme)://\(authority)\(path)" }
        return authority
    }

    /// Parses `HOST:PORT` (when `allowBare`) or `http(s)://HOST[:PORT][/PATH]`; nil when malformed.
    public static func parse(_ text: String, allowBare: Bool = true, defaultPortForBare: Int? = nil) -> ServiceEndpoint? {
        var rest = Substring(text.trimmingSpaces())
        var scheme: String?
        if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
            let s = rest[..<colon].lowercased()
            guard s == "http" || s == "https" else { return nil }
            scheme = s
            rest = rest[rest.index(colon, offsetBy: 3)...]
        } else if !allowBare {
            return nil
        }
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            guard scheme != nil else { return nil }
            path = String(rest[slash...])
            rest = rest[..<slash]
        }
        guard !rest.isEmpty, !rest.contains("@"), !path.contains(" ") else { return nil }
        var host: Substring
        var portText: Substring?
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { return nil }
                portText = after.dropFirst()
            }
            guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            if let colon = rest.lastIndex(of: ":") {
                host = rest[..<colon]
                portText = rest[rest.index(after: colon)...]
            } else {
                host = rest
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isASCIIDigit || $0 == "." || $0 == "-" || $0 == "_" }),
                  host.allSatisfy(\.isASCII) else { return nil }
        }
        guard !host.isEmpty else { return nil }
        let port: Int
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isASCIIDigit),
                  let p = Int(portText), p <= 65535 else { return nil }
            port = p
        } else if scheme == "http" {
            port = 80
        } else if scheme == "https" {
            port = 443
        } else if let d = defaultPortForBare {
            port = d
        } else {
            return nil
        }
        return ServiceEndpoint(scheme: scheme, host: String(host), port: port, path: path)
    }
}
