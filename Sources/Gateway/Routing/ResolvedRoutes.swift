import IOCore
import NetIO

/// A route table whose upstreams are resolved to socket addresses, ready for the workers (one immutable object shared
/// by every worker, so a request reads it without copying it).
///
/// Name resolution is blocking, so it happens at start-up and on reload, never on a worker's loop.
public final class ResolvedRoutes: Sendable {
    /// The table as configured.
    public let table: RouteTable
    /// Each route of `table` with what the workers need of it, by route index.
    let entries: [ResolvedRoute]
    /// The fallback upstream (no `http.route`), when configured.
    let fallback: ResolvedRoute?

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
        var entries: [ResolvedRoute] = []
        for (i, route) in table.routes.enumerated() {
            entries.append(ResolvedRoute(route: route, index: i, address: try address(route.upstream, key: "routes[\(i)].upstream")))
        }
        let fallback = try table.fallback.map {
            ResolvedRoute(route: $0, index: nil, address: try address($0.upstream, key: "upstream"))
        }
        return ResolvedRoutes(table: table, entries: entries, fallback: fallback)
    }

    private init(table: RouteTable, entries: [ResolvedRoute], fallback: ResolvedRoute?) {
        self.table = table
        self.entries = entries
        self.fallback = fallback
    }

    /// The route for `path` (without query): the first route whose template matches, else the fallback, else nil.
    ///
    /// Returns a reference, so a request holds its route for one retain instead of copying the route's fields.
    func match(_ path: UnsafeRawBufferPointer) -> ResolvedRoute? {
        if let i = table.firstMatchingIndex(path) { return entries[i] }
        return fallback
    }
}

/// One route with its upstream's resolved address and what requests read of it on every exchange, built once per
/// route table and shared by the requests that match it.
final class ResolvedRoute: Sendable {
    /// The route as configured.
    let route: Route
    /// The route's index in the table; nil for the fallback upstream.
    let index: Int?
    /// The upstream's socket address.
    let address: SocketAddress
    /// Span names per method (`{method} {route}`); nil for the fallback, whose spans are named by method alone.
    let spanNames: RouteSpanNames?
    /// `route.responseTimeout` in nanoseconds.
    let responseTimeoutNanoseconds: UInt64
    /// `route.tunnelIdleTimeout` in nanoseconds.
    let tunnelIdleTimeoutNanoseconds: UInt64
    /// The backend's span attribute values (client spans, `tracegw.backend.address`), formatted once.
    let backendStrings: BackendSpanStrings

    init(route: Route, index: Int?, address: SocketAddress) {
        self.route = route
        self.index = index
        self.address = address
        spanNames = index == nil ? nil : RouteSpanNames(template: route.template.routeName)
        responseTimeoutNanoseconds = route.responseTimeout.nanoseconds
        tunnelIdleTimeoutNanoseconds = route.tunnelIdleTimeout.nanoseconds
        backendStrings = BackendSpanStrings(upstream: route.upstream, address: address)
    }

    /// The route when it is a configured route (tracing options, `http.route`); nil for the fallback upstream.
    var configuredRoute: ResolvedRoute? { index == nil ? nil : self }
}
