import HTTP1
import IOCore
import NetIO
import TraceCore

/// A worker's tracing state: its own span factory (per-thread id generator) over the shared pipeline.
///
/// Touched only on the worker's loop.
final class WorkerTracing {
    let pipeline: TracingPipeline
    let factory: SpanFactory<MultiSpanProcessor>
    let options: GatewayTracingOptions
    /// Incoming field names our injection replaces (every propagator field except `baggage`, which passes on as is).
    let replacedFields: [StaticString]
    /// Every field name the propagators read; a request with none of them has no context to extract.
    let extractedFields: [StaticString]
    /// Bit n is set when a name in `extractedFields` is n bytes long (bit 63: 63 bytes or more), so a field whose
    /// name has no such length is passed over without comparing its bytes.
    let extractedNameLengths: UInt64

    /// Most ended spans a worker holds before handing them to the exporter queues; the rest go at the end of the
    /// event-loop pass that ended them (see `Worker.start`).
    static let endBatchCapacity = 64

    // Option flags read per request, copied out of `options` once: reading a field of the struct through the class
    // would copy (retain and release) its arrays on every request.
    let clientSpans: Bool
    let responseTraceHeader: Bool
    let traceresponseHeader: Bool
    let trustIncomingTrace: Bool
    let recordURLQuery: Bool
    let hasTrustedProxies: Bool
    let capturesRequestHeaders: Bool
    let capturesResponseHeaders: Bool

    /// The worker's loop, whose per-pass clock reading times span starts and arrivals.
    let loop: EventLoop

    init(pipeline: TracingPipeline, options: GatewayTracingOptions, loop: EventLoop) {
        self.loop = loop
        self.pipeline = pipeline
        self.options = options
        // Without an exporter the factory reuses each ended span's record at once (`SpanProcessor.acceptsSpans`).
        self.factory = SpanFactory(
            resource: pipeline.resource, sampler: pipeline.sampler, processor: pipeline.processor,
            endBatchCapacity: Self.endBatchCapacity)
        clientSpans = options.clientSpans
        responseTraceHeader = options.responseTraceHeader
        traceresponseHeader = options.traceresponseHeader
        trustIncomingTrace = options.trustIncomingTrace
        recordURLQuery = options.recordURLQuery
        hasTrustedProxies = !options.trustedProxies.isEmpty
        capturesRequestHeaders = !options.captureRequestHeaders.isEmpty
        capturesResponseHeaders = !options.captureResponseHeaders.isEmpty
        self.replacedFields = pipeline.propagator.fields.filter { $0.description != "baggage" }
        self.extractedFields = pipeline.propagator.fields
        self.extractedNameLengths = extractedFields.reduce(0) { $0 | Self.lengthBit($1.utf8CodeUnitCount) }
    }

    /// The bit of `extractedNameLengths` for a name of `length` bytes.
    @inline(__always)
    static func lengthBit(_ length: Int) -> UInt64 { 1 &<< UInt64(min(length, 63)) }

    /// Whether `fields` holds any field a propagator reads: most requests carry no trace context, and one pass over
    /// their few field names is cheaper than running every extractor (each scans the fields for its names).
    func carriesTraceContext(_ fields: HTTP1Fields) -> Bool {
        for index in fields.indices where extractedNameLengths & Self.lengthBit(fields.nameLength(index)) != 0 {
            for name in extractedFields where fields.nameEquals(index, name) { return true }
        }
        return false
    }

    /// When the current loop pass picked up its events: the arrival time of a request or response being handled.
    @inline(__always)
    var arrivalNanoseconds: UInt64 { loop.passTimeNanoseconds }

}

/// Writes propagation fields straight into a backend request head (no intermediate copy).
struct ByteBufferInjector: HeaderInjector {
    /// The head being written; valid for the injector's lifetime (see `ExchangeTracer.attemptStarted`).
    let buffer: UnsafeMutablePointer<ByteBuffer>

    mutating func setField(_ name: StaticString, value: UnsafeRawBufferPointer) {
        HTTP1Serializer.writeField(name: name, value: value, into: &buffer.pointee)
    }
}

/// Lets propagators read a parsed request's fields in place.
struct HTTP1FieldsCarrier: HeaderCarrier {
    let fields: HTTP1Fields

    func forEachValue(ofField name: StaticString, _ body: (UnsafeRawBufferPointer) -> Void) {
        let text = name.description
        for i in fields.indices where fields.nameEquals(i, text) {
            fields[i].value.withUnsafeBytes(body)
        }
    }
}
