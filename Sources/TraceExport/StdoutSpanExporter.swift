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
    /// Serialises exports so lines from concurrent exports never interleave; guards `textBuffer`.
    private let writeLock = ConditionLock()
    /// The `text` lines being written, a chunk of the batch at a time, reused from chunk to chunk (only touched under
    /// `writeLock`).
    nonisolated(unsafe) private let textBuffer = RawOutputBuffer(capacity: StdoutSpanExporter.textChunkBytes * 2)

    /// Bytes of `text` lines written per `write`: a batch goes out in chunks of whole lines through one small
    /// buffer that stays in the core's cache. Formatting a whole batch first filled a buffer of hundreds of
    /// kilobytes (512 spans of 500–600 bytes) and pushed the proxy's own working set out of the cache with it.
    public static let textChunkBytes = 16 << 10

    /// Creates an exporter writing `format` to `fileDescriptor` for spans of `resource`.
    public init(resource: Resource, format: Format, fileDescriptor: Int32 = 1) {
        self.format = format
        self.encoder = OTLPJSONEncoder(resource: resource)
        self.fileDescriptor = fileDescriptor
    }

    /// Encodes and writes the batch; fails (not retryable) when the descriptor cannot be written.
    public func export(_ batch: [FinishedSpan]) -> ExportResult {
        guard !batch.isEmpty else { return .success }
        switch format {
        case .text:
            return writeLock.withLock {
                var next = 0
                while next < batch.count {
                    textBuffer.removeAll()
                    next = ConsoleSpanFormatter.format(
                        batch, from: next, into: textBuffer, upToBytes: Self.textChunkBytes)
                    let written = textBuffer.withUnsafeBytes { writeAll($0) }
                    if case .failure = written { return written }
                }
                return .success
            }
        case .otlpJSON:
            var bytes = encoder.encode(batch)
            bytes.append(UInt8(ascii: "\n"))
            return writeLock.withLock { bytes.withUnsafeBytes { writeAll($0) } }
        }
    }

    private func writeAll(_ buffer: UnsafeRawBufferPointer) -> ExportResult {
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

    /// Nothing is buffered beyond each write, so there is nothing to flush.
    public func forceFlush() {}

    /// Stops nothing: the descriptor belongs to the process.
    public func shutdown() {}
}
