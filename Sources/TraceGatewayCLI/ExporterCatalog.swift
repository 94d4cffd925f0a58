import Gateway

/// Which exporters this build contains; naming any other stops start-up with a clear refusal.
public enum ExporterCatalog {
    /// The exporters compiled into this build.
    public static let available: Set<GatewayConfiguration.ExporterKind> = [.stdout, .memory, .none, .otlp, .otlpHTTP, .jaeger, .zipkin]
}
