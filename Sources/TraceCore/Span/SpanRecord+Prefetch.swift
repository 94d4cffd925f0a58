import CPrefetch

/// Cache hints for the record pool's reuse path and for encoders walking a batch.
///
/// With a batch exporter, a span's record goes to the export thread and comes back to the factory a batch later,
/// by then usually out of the core's cache, so the next span would wait on a miss for the record, its attribute
/// storage and every entry it writes (measured: ≈ 0.6 µs per proxied request). The factory asks for the next
/// records while the current span is in use. Hints never fault and change nothing the program can observe; the
/// records are read without retaining them, since a retain would itself wait for the miss.
extension SpanRecord {
    /// Cache lines of a record's stored properties that reuse and encoding touch (all but `limits` and `scope`).
    static let prefetchedRecordLines = 4
    /// Cache lines from the attribute storage's header: the header, 20 entries of 16 bytes and the arena's first
    /// 160 bytes (a server span's).
    static let prefetchedAttributeLines = 9

    /// The record object of the span at `index` (a `FinishedSpan` is exactly its record reference), unretained.
    @inline(__always)
    static func recordAddress(at index: Int, in spans: UnsafeBufferPointer<FinishedSpan>) -> UnsafeRawPointer {
        UnsafeRawPointer(spans.baseAddress!).load(
            fromByteOffset: index &* MemoryLayout<FinishedSpan>.stride, as: UnsafeRawPointer.self)
    }

    /// Starts fetching the record of the span at `index`, for writing (reuse) or reading (encoding).
    @inline(__always)
    static func prefetchRecord(at index: Int, in spans: UnsafeBufferPointer<FinishedSpan>, forWriting: Bool) {
        prefetchLines(from: recordAddress(at: index, in: spans), count: prefetchedRecordLines, forWriting: forWriting)
    }

    /// Starts fetching the slot of the span at `index` itself (the batch array an export thread filled), so walking
    /// the array backwards does not wait for each of its cache lines.
    @inline(__always)
    static func prefetchSlot(at index: Int, in spans: UnsafeBufferPointer<FinishedSpan>) {
        cpf_prefetch_read(UnsafeRawPointer(spans.baseAddress! + index))
    }

    /// Starts fetching the attribute storage of the span at `index`. Reads that record, so call it a span after
    /// `prefetchRecord(at:in:forWriting:)` asked for it.
    @inline(__always)
    static func prefetchAttributes(at index: Int, in spans: UnsafeBufferPointer<FinishedSpan>, forWriting: Bool) {
        let header = Unmanaged<SpanRecord>.fromOpaque(recordAddress(at: index, in: spans))
            ._withUnsafeGuaranteedRef { $0.attributes.pointers?.header }
        guard let header else { return }
        prefetchLines(from: UnsafeRawPointer(header), count: prefetchedAttributeLines, forWriting: forWriting)
    }

    @inline(__always)
    private static func prefetchLines(from base: UnsafeRawPointer, count: Int, forWriting: Bool) {
        for line in 0..<count {
            if forWriting { cpf_prefetch_write(base + line &* 64) } else { cpf_prefetch_read(base + line &* 64) }
        }
    }
}

extension UnsafeBufferPointer where Element == FinishedSpan {
    /// Hints the CPU to fetch what an encoder walking these spans in order reads next: the record of the span three
    /// after `index` and the attribute storage of the span two after it (whose record the call before asked for).
    ///
    /// An export thread reads records that a loop thread wrote a batch earlier, usually from another core's cache or
    /// from memory; asking ahead overlaps those misses with the encoding of the current span.
    public func prefetchForEncoding(after index: Int) {
        if index &+ 3 < count { SpanRecord.prefetchRecord(at: index &+ 3, in: self, forWriting: false) }
        if index &+ 2 < count { SpanRecord.prefetchAttributes(at: index &+ 2, in: self, forWriting: false) }
    }
}
