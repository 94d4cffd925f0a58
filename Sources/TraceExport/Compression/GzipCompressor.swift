import CZlib

/// Compresses request bodies to the gzip format (RFC 1952) with zlib, for `OTEL_EXPORTER_OTLP_COMPRESSION=gzip`
/// and `grpc-encoding: gzip`.
///
/// One `z_stream` is kept and reset between bodies, so its 256 KiB of deflate state is allocated once per
/// exporter, not per export. Not thread-safe: each exporter owns one and uses it from its export thread.
public final class GzipCompressor {
    private var stream = z_stream()
    private var isInitialized = false

    /// Creates a compressor at `level` (1 fastest … 9 smallest; default 6, zlib's default trade-off).
    public init(level: Int32 = 6) {
        // windowBits 15 + 16 selects the gzip wrapper (zlib manual, deflateInit2).
        let rc = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                               ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        isInitialized = rc == Z_OK
    }

    deinit {
        if isInitialized { deflateEnd(&stream) }
    }

    /// Returns `input` compressed as one complete gzip member; nil only if zlib failed to initialise.
    public func compress(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        guard isInitialized else { return nil }
        guard deflateReset(&stream) == Z_OK else { return nil }
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        var produced = 0
        let ok = output.withUnsafeMutableBytes { out -> Bool in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
            stream.avail_in = UInt32(input.count)
            stream.next_out = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
            stream.avail_out = UInt32(out.count)
            let rc = deflate(&stream, Z_FINISH)
            produced = out.count - Int(stream.avail_out)
            stream.next_in = nil
            stream.next_out = nil
            return rc == Z_STREAM_END
        }
        guard ok else { return nil }
        output.removeLast(output.count - produced)
        return output
    }

    /// Compresses an array of bytes; see `compress(_:)`.
    public func compress(_ input: [UInt8]) -> [UInt8]? {
        input.withUnsafeBytes { compress($0) }
    }
}

@available(*, unavailable)
extension GzipCompressor: Sendable {}
