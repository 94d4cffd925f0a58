/// One entry of the route table: which requests it matches and where they go.
public struct Route: Sendable, Equatable {
    /// The path pattern; its text is the span's `http.route`.
    public var template: RouteTemplate
    /// The backend for matching requests.
    public var upstream: ServiceEndpoint
    /// Time to wait for the backend's response; overrides `limits.response_timeout`.
    public var responseTimeout: Duration
    /// How long an idle tunnel (WebSocket) on this route stays open; overrides `limits.tunnel_idle_timeout`.
    public var tunnelIdleTimeout: Duration

    /// Tracing options for this route.
    public var tracing: RouteTracing

    /// Creates a route.
    public init(template: RouteTemplate, upstream: ServiceEndpoint, responseTimeout: Duration, tunnelIdleTimeout: Duration,
                tracing: RouteTracing = .default) {
        self.template = template
        self.upstream = upstream
        self.responseTimeout = responseTimeout
        self.tunnelIdleTimeout = tunnelIdleTimeout
        self.tracing = tracing
    }
}
