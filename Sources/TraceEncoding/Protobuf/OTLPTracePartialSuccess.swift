/// The `partial_success` of an OTLP `ExportTraceServiceResponse`: spans the server rejected, and why.
///
/// opentelemetry-proto `collector/trace/v1/trace_service.proto` (`ExportTracePartialSuccess`); the OTLP
/// specification ("Partial Success") says a client must not retry such a response and should log the message.
public struct OTLPTracePartialSuccess: Sendable, Equatable {
    /// `rejected_spans` (field 1, int64): how many spans the server did not accept.
    public var rejectedSpans: Int64
    /// `error_message` (field 2, string): the server's explanation, possibly a warning when nothing was rejected.
    public var errorMessage: String

    /// Creates a value, for tests and for callers that build one.
    public init(rejectedSpans: Int64, errorMessage: String) {
        self.rejectedSpans = rejectedSpans
        self.errorMessage = errorMessage
    }

    /// Decodes an `ExportTraceServiceResponse` body; nil when it carries no `partial_success` (full success).
    ///
    /// A `partial_success` with zero rejected spans and an empty message is reported as nil too, since the
    /// specification treats it as full success. Unknown fields are skipped, as protobuf requires.
    public static func decode(response: UnsafeRawBufferPointer) throws(ProtobufDecodingError) -> OTLPTracePartialSuccess? {
        var reader = ProtobufReader(response)
        var result: OTLPTracePartialSuccess?
        while !reader.isAtEnd {
            let (field, wireType) = try reader.tag()
            guard field == 1 else {
                try reader.skip(wireType: wireType)
                continue
            }
            guard wireType == 2 else { throw .wrongWireType(field: field, wireType: wireType) }
            // A repeated occurrence of a message field merges into the earlier one (last scalar value wins).
            var merged = result ?? OTLPTracePartialSuccess(rejectedSpans: 0, errorMessage: "")
            let message = try reader.lengthDelimited()
            try merged.merge(message)
            result = merged
        }
        guard let result, result.rejectedSpans != 0 || !result.errorMessage.isEmpty else { return nil }
        return result
    }

    /// Decodes an `ExportTraceServiceResponse` body held in an array.
    public static func decode(response: [UInt8]) throws(ProtobufDecodingError) -> OTLPTracePartialSuccess? {
        var result: Result<OTLPTracePartialSuccess?, ProtobufDecodingError> = .success(nil)
        response.withUnsafeBytes { buffer in
            do throws(ProtobufDecodingError) {
                result = .success(try decode(response: buffer))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    /// Reads the fields of one `ExportTracePartialSuccess` message into `self`.
    private mutating func merge(_ message: UnsafeRawBufferPointer) throws(ProtobufDecodingError) {
        var reader = ProtobufReader(message)
        while !reader.isAtEnd {
            let (field, wireType) = try reader.tag()
            switch (field, wireType) {
            case (1, 0):
                rejectedSpans = Int64(bitPattern: try reader.varint())
            case (2, 2):
                errorMessage = String(decoding: try reader.lengthDelimited(), as: UTF8.self)
            case (1, _), (2, _):
                throw .wrongWireType(field: field, wireType: wireType)
            default:
                try reader.skip(wireType: wireType)
            }
        }
    }
}
