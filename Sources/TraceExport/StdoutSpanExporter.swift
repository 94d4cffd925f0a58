#if canImport(Glibc)
import Glibc
#endif
import TraceCore
import TraceEncoding

/// Writes spans to a file descriptor (standard output by default), one line per span or per batch.
///
/// `text` writes one readable line per span (`ConsoleSpanFormatter`); `otlpJSON` writes one OTLP/JSON
/// `ExportTraceServiceRequest` per batch per line, as the OpenTelemetry Collector's file exporter does, so the
/// output can be replayed or decoded with the official protobuf definitions. Only this exporter writes to stdout;
/// every log line of tracegw goes to stderr.
public final class StdoutSpanExporter: SpanExporter {
    /// The output format.
    public enum Format: Sendable {
        /// One human-readable line per span.
        case text
        /// One OTLP/JSON request per line.
        case otlpJSON
    }

    private let format: Format
    private let encoder: OTLPJSONEncoder
    private let fileDescriptor: Int32
    /// Serialises writes so lines from concurrent exports never interleave.
    private let writeLock = ConditionLock()

    /// Creates an exporter writing `format` to `fileDescriptor` for spans of `resource`.
    public init(resource: Resource, format: Format, fileDescriptor: Int32 = 1) {
        self.format = format
        self.encoder = OTLPJSONEncoder(resource: resource)
        self.fileDescriptor = fileDescriptor
    }

    /// Encodes and writes the batch; fails (not retryable) when the descriptor cannot be written.
    public func export(_ batch: [FinishedSpan]) -> ExportResult {
        guard !batch.isEmpty else { return .success }
        var bytes: [UInt8]
        switch format {
        case .text:
            bytes = []
            bytes.reserveCapacity(batch.count * 512)
            // Indexing the buffer passes each span borrowed: a `for-in` over the array would retain and release
            // every span's record.
            batch.withUnsafeBufferPointer { spans in
                for index in spans.indices { ConsoleSpanFormatter.format(spans[index], into: &bytes) }
            }
        case .otlpJSON:
            bytes = encoder.encode(batch)
            bytes.append(UInt8(ascii: "\n"))
        }
        return writeLock.withLock { writeAll(bytes) }
    }

    private func writeAll(_ bytes: [UInt8]) -> ExportResult {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && (errno == EINTR || errno == EAGAIN) {
                    if errno == EAGAIN { usleep(1000) }
                } else {
                    return .failure(reason: "write to fd \(fileDescriptor) failed: errno \(errno)", retryable: false)
                }
            }
            return .success
        }
    }

    /// Nothing is buffered beyond each write, so there is nothing to flush.
    public func forceFlush() {}

    /// Stops nothing: the descriptor belongs to the process.
    public func shutdown() {}
}
