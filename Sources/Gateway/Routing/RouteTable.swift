/// The ordered routes plus the fallback upstream; the first route whose pattern matches wins (as in Envoy).
///
/// Built once from configuration and replaced as a whole on SIGHUP; workers only read it.
public struct RouteTable: Sendable, Equatable {
    /// The routes in match order.
    public var routes: [Route]
    /// The route used when none matches (the global `--upstream`), or nil to answer 404.
    public var fallback: Route?

    /// Creates a table.
    public init(routes: [Route], fallback: Route?) {
        self.routes = routes
        self.fallback = fallback
    }

    /// The result of a lookup: the route and whether it matched by pattern (vs. the fallback).
    public struct Match {
        /// The chosen route.
        public var route: Route
        /// The index into `routes`, or nil for the fallback.
        public var index: Int?
    }

    /// Finds the route for `path` (without query).
    public func match(_ path: UnsafeRawBufferPointer) -> Match? {
        if let i = firstMatchingIndex(path) { return Match(route: routes[i], index: i) }
        return fallback.map { Match(route: $0, index: nil) }
    }

    /// The index of the first route whose pattern matches `path` (without query); nil when only the fallback (or
    /// nothing) applies. Copies no route.
    func firstMatchingIndex(_ path: UnsafeRawBufferPointer) -> Int? {
        routes.indices.first { routes[$0].template.matches(path) }
    }

    /// Finds the route for a path given as a string (tests and tools).
    public func match(_ path: String) -> Match? {
        var path = path
        return path.withUTF8 { match(UnsafeRawBufferPointer($0)) }
    }
}
