import Glibc

/// The entity producing telemetry: attributes shared by every span of a process (OpenTelemetry Resource SDK).
///
/// Exporters receive the resource once at init, not with every batch.
public struct Resource: Sendable, Hashable {
    /// The resource attributes.
    public var attributes: SpanAttributeList

    /// The telemetry SDK version reported in `telemetry.sdk.version`.
    public static let sdkVersion = "0.1.0"

    /// Creates a resource from attributes.
    public init(attributes: SpanAttributeList = SpanAttributeList(limits: .default)) {
        self.attributes = attributes
    }

    /// The resource every tracegw process reports.
    ///
    /// Sets `service.name`, `service.version`, `deployment.environment.name` and the seed's `deployment.environment`,
    /// `host.name` (from `gethostname(2)` when `hostName` is nil), and the `telemetry.sdk.*` triple. `extra`
    /// attributes (e.g. from `OTEL_RESOURCE_ATTRIBUTES`) are applied last, so they override the defaults, except
    /// that `service.name` is always `serviceName` as the OpenTelemetry SDK configuration spec requires for
    /// `OTEL_SERVICE_NAME`.
    public static func defaultResource(
        serviceName: String,
        serviceVersion: String = "1.0.0",
        environment: String = "development",
        hostName: String? = nil,
        extra: [SpanAttribute] = []
    ) -> Resource {
        var attributes = SpanAttributeList(limits: .default)
        attributes.set(SemanticAttributes.serviceName, .string(serviceName))
        attributes.set(SemanticAttributes.serviceVersion, .string(serviceVersion))
        attributes.set(SemanticAttributes.deploymentEnvironmentName, .string(environment))
        attributes.set(SemanticAttributes.deploymentEnvironment, .string(environment))
        if let host = hostName ?? currentHostName() {
            attributes.set(SemanticAttributes.hostName, .string(host))
        }
        attributes.set(SemanticAttributes.telemetrySDKName, "tracegw")
        attributes.set(SemanticAttributes.telemetrySDKLanguage, "swift")
        attributes.set(SemanticAttributes.telemetrySDKVersion, .string(sdkVersion))
        for attribute in extra { attributes.set(attribute.key, attribute.value) }
        attributes.set(SemanticAttributes.serviceName, .string(serviceName))
        return Resource(attributes: attributes)
    }

    /// This machine's host name via `gethostname(2)`, nil if the call fails.
    public static func currentHostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let bytes = buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}
