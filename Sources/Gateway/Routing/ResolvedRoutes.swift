import IOCore
import NetIO

/// A route table whose upstreams are resolved to socket addresses, ready for the workers.
///
/// Name resolution is blocking, so it happens at start-up and on reload, never on a worker's loop.
public struct ResolvedRoutes: Sendable {
    /// The table as configured.
    public let table: RouteTable
    /// The address of each route's upstream, by route index.
    let routeAddresses: [SocketAddress]
    /// The address of the fallback upstream.
    let fallbackAddress: SocketAddress?
    /// Span names per route index, built once.
    let spanNames: [RouteSpanNames]

    /// Resolves every upstream of `table`.
    /// - Throws: `ConfigError.invalidValue` naming the upstream that does not resolve.
    public static func resolve(_ table: RouteTable) throws -> ResolvedRoutes {
        func address(_ endpoint: ServiceEndpoint, key: String) throws -> SocketAddress {
            guard endpoint.scheme == "http" else {
                throw ConfigError.invalidValue(key: key, value: endpoint.description, origin: .builtInDefault,
                                               allowed: "an http:// backend (https backends are not supported by this build)")
            }
            do {
                if let literal = try? SocketAddress(host: endpoint.host, port: UInt16(endpoint.port)) { return literal }
                guard let first = try SocketAddress.resolve(host: endpoint.host, port: UInt16(endpoint.port)).first else {
                    throw IOError(.resolve, errno: 0)
                }
                return first
            } catch {
                throw ConfigError.invalidValue(key: key, value: endpoint.description, origin: .builtInDefault,
                                               allowed: "a host name that resolves (\(error))")
            }
        }
        var addresses: [SocketAddress] = []
        for (i, route) in table.routes.enumerated() {
            addresses.append(try address(route.upstream, key: "routes[\(i)].upstream"))
        }
        let fallback = try table.fallback.map { try address($0.upstream, key: "upstream") }
        return ResolvedRoutes(table: table, routeAddresses: addresses, fallbackAddress: fallback,
                              spanNames: table.routes.map { RouteSpanNames(template: $0.template.routeName) })
    }

    /// The route and backend address for `path`, or nil when nothing matches.
    func match(_ path: UnsafeRawBufferPointer) -> (route: Route, index: Int?, address: SocketAddress)? {
        // Note: captures are re-read by the caller through `Route.template.matches(_:captures:)` when tracing.
        guard let m = table.match(path) else { return nil }
        if let i = m.index { return (m.route, i, routeAddresses[i]) }
        guard let fallbackAddress else { return nil }
        return (m.route, nil, fallbackAddress)
    }
}
