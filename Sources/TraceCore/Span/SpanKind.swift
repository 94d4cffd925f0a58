/// The role of a span in a trace (OpenTelemetry Trace API §SpanKind).
public enum SpanKind: Sendable, Hashable, CaseIterable {
    /// An internal operation with no remote parent or child.
    case `internal`
    /// The server side of a synchronous remote call (the gateway's frontend span).
    case server
    /// The client side of a synchronous remote call (the gateway's backend hop).
    case client
    /// The initiator of an asynchronous message.
    case producer
    /// The receiver of an asynchronous message.
    case consumer

    /// The OTLP `Span.SpanKind` number (opentelemetry-proto trace.proto: INTERNAL=1 … CONSUMER=5).
    @inlinable
    public var otlpValue: Int {
        switch self {
        case .internal: return 1
        case .server: return 2
        case .client: return 3
        case .producer: return 4
        case .consumer: return 5
        }
    }
}
