/// Attribute keys from the OpenTelemetry semantic conventions (HTTP spans, resources, exceptions).
///
/// Current stable names (semconv 1.26+ HTTP conventions; `deployment.environment.name` from 1.27). Each key is an
/// inlinable computed property returning a literal rather than a stored `static let`: the hot path then gets an
/// immortal literal in place, with no lazy-global accessor call, `swift_once` check or retain per attribute.
public enum SemanticAttributes {
    /// HTTP request method, normalised to a known method or `_OTHER` (semconv http).
    @inlinable public static var httpRequestMethod: AttributeKey { "http.request.method" }
    /// The original method when `http.request.method` was normalised.
    @inlinable public static var httpRequestMethodOriginal: AttributeKey { "http.request.method_original" }
    /// The URI path component.
    @inlinable public static var urlPath: AttributeKey { "url.path" }
    /// The URI scheme (`http`, `https`).
    @inlinable public static var urlScheme: AttributeKey { "url.scheme" }
    /// The URI query component, without `?`.
    @inlinable public static var urlQuery: AttributeKey { "url.query" }
    /// The absolute URL (client spans).
    @inlinable public static var urlFull: AttributeKey { "url.full" }
    /// The matched route template, e.g. `/users/{id}`.
    @inlinable public static var httpRoute: AttributeKey { "http.route" }
    /// The server's logical host name (Host / :authority).
    @inlinable public static var serverAddress: AttributeKey { "server.address" }
    /// The server's logical port.
    @inlinable public static var serverPort: AttributeKey { "server.port" }
    /// The client address (after trusted forwarding headers).
    @inlinable public static var clientAddress: AttributeKey { "client.address" }
    /// The client port.
    @inlinable public static var clientPort: AttributeKey { "client.port" }
    /// The peer address of the socket.
    @inlinable public static var networkPeerAddress: AttributeKey { "network.peer.address" }
    /// The peer port of the socket.
    @inlinable public static var networkPeerPort: AttributeKey { "network.peer.port" }
    /// The HTTP version, e.g. `1.1`, `2`.
    @inlinable public static var networkProtocolVersion: AttributeKey { "network.protocol.version" }
    /// The User-Agent header value.
    @inlinable public static var userAgentOriginal: AttributeKey { "user_agent.original" }
    /// Request body size in bytes.
    @inlinable public static var httpRequestBodySize: AttributeKey { "http.request.body.size" }
    /// Response body size in bytes.
    @inlinable public static var httpResponseBodySize: AttributeKey { "http.response.body.size" }
    /// Response status code.
    @inlinable public static var httpResponseStatusCode: AttributeKey { "http.response.status_code" }
    /// The class of error (status code, exception type or `_OTHER`).
    @inlinable public static var errorType: AttributeKey { "error.type" }
    /// How many times the request was resent (client spans).
    @inlinable public static var httpRequestResendCount: AttributeKey { "http.request.resend_count" }

    /// Exception event: the exception type (semconv exceptions).
    @inlinable public static var exceptionType: AttributeKey { "exception.type" }
    /// Exception event: the message.
    @inlinable public static var exceptionMessage: AttributeKey { "exception.message" }
    /// The event name used for recorded exceptions.
    @inlinable public static var exceptionEventName: String { "exception" }

    /// Resource: logical service name.
    @inlinable public static var serviceName: AttributeKey { "service.name" }
    /// Resource: service version.
    @inlinable public static var serviceVersion: AttributeKey { "service.version" }
    /// Resource: deployment environment (current key).
    @inlinable public static var deploymentEnvironmentName: AttributeKey { "deployment.environment.name" }
    /// Resource: deployment environment (deprecated key the seed package used; kept for existing dashboards).
    @inlinable public static var deploymentEnvironment: AttributeKey { "deployment.environment" }
    /// Resource: host name.
    @inlinable public static var hostName: AttributeKey { "host.name" }
    /// Resource: telemetry SDK name.
    @inlinable public static var telemetrySDKName: AttributeKey { "telemetry.sdk.name" }
    /// Resource: telemetry SDK language.
    @inlinable public static var telemetrySDKLanguage: AttributeKey { "telemetry.sdk.language" }
    /// Resource: telemetry SDK version.
    @inlinable public static var telemetrySDKVersion: AttributeKey { "telemetry.sdk.version" }
}
