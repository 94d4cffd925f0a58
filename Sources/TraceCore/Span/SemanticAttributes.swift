/// Attribute keys from the OpenTelemetry semantic conventions (HTTP spans, resources, exceptions).
///
/// Current stable names (semconv 1.26+ HTTP conventions; `deployment.environment.name` from 1.27). One constant per
/// key so the hot path passes static strings whose equality checks are pointer compares.
public enum SemanticAttributes {
    /// HTTP request method, normalised to a known method or `_OTHER` (semconv http).
    public static let httpRequestMethod = "http.request.method"
    /// The original method when `http.request.method` was normalised.
    public static let httpRequestMethodOriginal = "http.request.method_original"
    /// The URI path component.
    public static let urlPath = "url.path"
    /// The URI scheme (`http`, `https`).
    public static let urlScheme = "url.scheme"
    /// The URI query component, without `?`.
    public static let urlQuery = "url.query"
    /// The absolute URL (client spans).
    public static let urlFull = "url.full"
    /// The matched route template, e.g. `/users/{id}`.
    public static let httpRoute = "http.route"
    /// The server's logical host name (Host / :authority).
    public static let serverAddress = "server.address"
    /// The server's logical port.
    public static let serverPort = "server.port"
    /// The client address (after trusted forwarding headers).
    public static let clientAddress = "client.address"
    /// The client port.
    public static let clientPort = "client.port"
    /// The peer address of the socket.
    public static let networkPeerAddress = "network.peer.address"
    /// The peer port of the socket.
    public static let networkPeerPort = "network.peer.port"
    /// The HTTP version, e.g. `1.1`, `2`.
    public static let networkProtocolVersion = "network.protocol.version"
    /// The User-Agent header value.
    public static let userAgentOriginal = "user_agent.original"
    /// Request body size in bytes.
    public static let httpRequestBodySize = "http.request.body.size"
    /// Response body size in bytes.
    public static let httpResponseBodySize = "http.response.body.size"
    /// Response status code.
    public static let httpResponseStatusCode = "http.response.status_code"
    /// The class of error (status code, exception type or `_OTHER`).
    public static let errorType = "error.type"
    /// How many times the request was resent (client spans).
    public static let httpRequestResendCount = "http.request.resend_count"

    /// Exception event: the exception type (semconv exceptions).
    public static let exceptionType = "exception.type"
    /// Exception event: the message.
    public static let exceptionMessage = "exception.message"
    /// The event name used for recorded exceptions.
    public static let exceptionEventName = "exception"

    /// Resource: logical service name.
    public static let serviceName = "service.name"
    /// Resource: service version.
    public static let serviceVersion = "service.version"
    /// Resource: deployment environment (current key).
    public static let deploymentEnvironmentName = "deployment.environment.name"
    /// Resource: deployment environment (deprecated key the seed package used; kept for existing dashboards).
    public static let deploymentEnvironment = "deployment.environment"
    /// Resource: host name.
    public static let hostName = "host.name"
    /// Resource: telemetry SDK name.
    public static let telemetrySDKName = "telemetry.sdk.name"
    /// Resource: telemetry SDK language.
    public static let telemetrySDKLanguage = "telemetry.sdk.language"
    /// Resource: telemetry SDK version.
    public static let telemetrySDKVersion = "telemetry.sdk.version"
}
