import TraceCore

/// Attribute keys the gateway adds beside the semantic conventions (literals: stored on spans as pointers).
enum GatewayAttributes {
    /// `host:port` of the backend the request went to (server spans).
    static var backendAddress: AttributeKey { "tracegw.backend.address" }
    /// Seconds to connect to the backend, for new connections (server spans).
    static var backendConnectDuration: AttributeKey { "tracegw.backend.connect_duration" }
    /// Seconds from sending the request to the backend's first response byte (server spans).
    static var backendTimeToFirstByte: AttributeKey { "tracegw.backend.time_to_first_byte" }
}
