/// The library that produced a span (OpenTelemetry Common §InstrumentationScope); OTLP groups spans by it.
public struct InstrumentationScope: Sendable, Hashable {
    /// The scope name, e.g. `tracegw`.
    public var name: String
    /// The scope version, if known.
    public var version: String?

    /// Creates a scope.
    public init(name: String, version: String? = nil) {
        self.name = name
        self.version = version
    }
}
