/// A timestamped annotation on a span (OpenTelemetry Trace API §Add Events).
public struct SpanEvent: Sendable, Hashable {
    /// The event name, e.g. `exception`.
    public var name: String
    /// Wall-clock time in nanoseconds since the Unix epoch.
    public var timeUnixNano: UInt64
    /// The event's attributes.
    public var attributes: SpanAttributeList

    /// Creates an event.
    public init(name: String, timeUnixNano: UInt64, attributes: SpanAttributeList = SpanAttributeList(reservedCapacity: 0)) {
        self.name = name
        self.timeUnixNano = timeUnixNano
        self.attributes = attributes
    }
}
