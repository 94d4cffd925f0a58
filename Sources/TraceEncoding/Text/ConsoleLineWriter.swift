import TraceCore

/// Writes the tokens of `ConsoleSpanFormatter`'s line format through a raw pointer into room reserved beforehand:
/// strings quoted only when needed, hex ids, readable durations and RFC 3339 timestamps.
///
/// The formatter reserves an upper bound of the line once per span (`ConsoleSpanFormatter.sizeBound`) and writes here
/// without capacity or uniqueness checks. Never write more than the room reserved.
struct ConsoleLineWriter: ReservedRoomWriter {
    /// The first byte of the reserved room.
    let base: UnsafeMutableRawPointer
    /// Bytes written so far.
    var offset: Int

    /// Creates a writer at `base` with nothing written.
    @inline(__always)
    init(base: UnsafeMutableRawPointer) {
        self.base = base
        self.offset = 0
    }

    /// The most bytes `quoted` writes for `count` bytes of text: two quotes and at most 4 bytes per input byte (an
    /// escape `\xNN`, or U+FFFD for an ill-formed byte).
    @inline(__always)
    static func quotedBound(_ count: Int) -> Int {
        2 &+ 4 &* count
    }

    /// Writes `s` as `quoted(utf8:always:)` writes its bytes.
    @inline(__always)
    mutating func quoted(_ s: String, always: Bool) {
        let written: Void? = s.utf8.withContiguousStorageIfAvailable {
            quoted(wellFormedUTF8: UnsafeRawBufferPointer($0), always: always)
        }
        if written == nil {
            var copy = s
            copy.withUTF8 { quoted(wellFormedUTF8: UnsafeRawBufferPointer($0), always: always) }
        }
    }

    /// Writes UTF-8 bytes that may be ill-formed (attribute values from request bytes), repaired as
    /// `String(decoding:as:)` repairs them, so the line is always valid UTF-8.
    @inline(__always)
    mutating func quoted(utf8: UnsafeRawBufferPointer, always: Bool) {
        UTF8Repair.withWellFormed(utf8) { quoted(wellFormedUTF8: $0, always: always) }
    }

    /// Writes an attribute's string bytes (possibly ill-formed UTF-8) exactly as `quoted(utf8:always: false)` does.
    ///
    /// The common case, non-empty ASCII text with nothing to quote, is checked and copied in one pass a word at a
    /// time (no repair check, no quote scan, no `memcpy` call); anything else is written again by the general path.
    @inline(__always)
    mutating func token(utf8: UnsafeRawBufferPointer) {
        if !plainToken(utf8) { quotedToken(utf8: utf8) }
    }

    /// The general path of `token(utf8:)`.
    @inline(never)
    private mutating func quotedToken(utf8: UnsafeRawBufferPointer) {
        quoted(utf8: utf8, always: false)
    }

    /// Copies `utf8` to the current offset and keeps it when it is non-empty ASCII holding no byte that needs quotes
    /// (see `needsQuotes`); otherwise returns false and keeps nothing (the bytes copied are overwritten later).
    @inline(__always)
    mutating func plainToken(_ utf8: UnsafeRawBufferPointer) -> Bool {
        copyUnlessFlagged(utf8, flags: Self.plainTokenFlags)
    }

    /// Copies `utf8` to the current offset a word at a time and keeps it when `flags` sets no high bit in any word
    /// of it; otherwise (and for empty text) returns false and keeps nothing.
    ///
    /// Reads and writes exactly the bytes of `utf8`: a tail shorter than a word is read as two overlapping loads,
    /// and words assembled from fewer than eight bytes are filled with `plainPadding`, which `flags` must not flag.
    @inline(__always)
    mutating func copyUnlessFlagged(_ utf8: UnsafeRawBufferPointer, flags: (UInt64) -> UInt64) -> Bool {
        guard let source = utf8.baseAddress else { return false }
        let count = utf8.count
        let destination = base + offset
        var flagged: UInt64
        if count >= 8 {
            let last = source.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            flagged = flags(last)
            var i = 0
            while i &+ 8 < count {
                let word = source.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                flagged |= flags(word)
                destination.storeBytes(of: word, toByteOffset: i, as: UInt64.self)
                i &+= 8
            }
            destination.storeBytes(of: last, toByteOffset: count &- 8, as: UInt64.self)
        } else if count >= 4 {
            let head = source.loadUnaligned(as: UInt32.self)
            let tail = source.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            flagged = flags(UInt64(head) | UInt64(tail) &<< 32)
            destination.storeBytes(of: head, as: UInt32.self)
            destination.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
        } else if count >= 2 {
            let head = source.loadUnaligned(as: UInt16.self)
            let tail = source.loadUnaligned(fromByteOffset: count &- 2, as: UInt16.self)
            flagged = flags(UInt64(head) | UInt64(tail) &<< 16 | Self.plainPadding &<< 32)
            destination.storeBytes(of: head, as: UInt16.self)
            destination.storeBytes(of: tail, toByteOffset: count &- 2, as: UInt16.self)
        } else if count == 1 {
            let byte = source.load(as: UInt8.self)
            flagged = flags(UInt64(byte) | Self.plainPadding &<< 8)
            destination.storeBytes(of: byte, as: UInt8.self)
        } else {
            return false
        }
        guard flagged & SWARBytes.highBits == 0 else { return false }
        offset &+= count
        return true
    }

    /// Plain letters (`a`) filling the unused bytes of a word assembled from fewer than eight text bytes.
    private static let plainPadding: UInt64 = 0x6161_6161_6161_6161

    /// Flags (high bit set) the bytes of `word` that keep a token from being written plain: a byte ≥ 0x80 (text
    /// that may need UTF-8 repair) and every byte `quoteFlags` flags.
    @inline(__always)
    static func plainTokenFlags(_ word: UInt64) -> UInt64 {
        word | quoteFlags(word)
    }

    /// Writes raw bytes (a key) with word moves for up to 32 bytes (`copyUnlessFlagged` with nothing flagged),
    /// `memcpy` beyond; reads and writes exactly `bytes`.
    @inline(__always)
    mutating func shortBytes(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count > 32 { return self.bytes(bytes) }
        _ = copyUnlessFlagged(bytes, flags: { _ in 0 })
    }

    /// Writes well-formed UTF-8 text as is when it holds nothing that would break a `key=value` token (space, a
    /// control character, `"`, `\`, `=`, DEL) and is not empty; otherwise (or when `always`) in double quotes with
    /// `\"`, `\\`, `\n`, `\r`, `\t` and `\xNN` escapes, so a span is always one line.
    @inline(__always)
    mutating func quoted(wellFormedUTF8 utf8: UnsafeRawBufferPointer, always: Bool) {
        if !always && utf8.count > 0 && !Self.needsQuotes(utf8) {
            bytes(utf8)
            return
        }
        byte(UInt8(ascii: "\""))
        // Nearly always nothing to escape (a span name): copied in one pass.
        if copyUnlessFlagged(utf8, flags: Self.escapeFlags) {
            byte(UInt8(ascii: "\""))
            return
        }
        escapedThenQuote(utf8)
    }

    /// Writes `utf8` with the escapes `quoted(wellFormedUTF8:always:)` uses, then the closing quote.
    @inline(never)
    private mutating func escapedThenQuote(_ utf8: UnsafeRawBufferPointer) {
        guard let source = utf8.baseAddress else {
            byte(UInt8(ascii: "\""))
            return
        }
        let count = utf8.count
        var runStart = 0
        var i = 0
        while i < count {
            // Clean text (nearly all of it) is skipped a word at a time; only a word holding a byte to escape is
            // walked byte by byte.
            while i &+ 8 <= count, !Self.wordNeedsEscape(source.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
                i &+= 8
            }
            guard i < count else { break }
            let b = source.load(fromByteOffset: i, as: UInt8.self)
            guard b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F else {
                i &+= 1
                continue
            }
            if runStart < i { bytes(UnsafeRawBufferPointer(rebasing: utf8[runStart..<i])) }
            byte(0x5C)
            switch b {
            case 0x22: byte(0x22)
            case 0x5C: byte(0x5C)
            case 0x0A: byte(UInt8(ascii: "n"))
            case 0x0D: byte(UInt8(ascii: "r"))
            case 0x09: byte(UInt8(ascii: "t"))
            default:
                byte(UInt8(ascii: "x"))
                byte(JSONWriter.hexDigit(b >> 4))
                byte(JSONWriter.hexDigit(b & 0xF))
            }
            i &+= 1
            runStart = i
        }
        if runStart < count { bytes(UnsafeRawBufferPointer(rebasing: utf8[runStart...])) }
        byte(UInt8(ascii: "\""))
    }

    /// Whether `utf8` holds a byte that makes a token need quotes: ≤ 0x20 (controls and space), `"`, `\`, `=`, DEL.
    ///
    /// Eight bytes at a time with `SWARBytes`; bytes ≥ 0x80 never flag.
    @inline(__always)
    static func needsQuotes(_ utf8: UnsafeRawBufferPointer) -> Bool {
        guard let source = utf8.baseAddress else { return false }
        let count = utf8.count
        var i = 0
        while i &+ 8 <= count {
            if wordNeedsQuotes(source.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
            i &+= 8
        }
        while i < count {
            let b = source.load(fromByteOffset: i, as: UInt8.self)
            if b <= 0x20 || b == 0x22 || b == 0x5C || b == 0x3D || b == 0x7F { return true }
            i &+= 1
        }
        return false
    }

    /// Whether any of the 8 bytes of `word` is ≤ 0x20 or one of `"`, `\`, `=`, DEL.
    @inline(__always)
    static func wordNeedsQuotes(_ word: UInt64) -> Bool {
        quoteFlags(word) & SWARBytes.highBits != 0
    }

    /// Flags (high bit set) the bytes of `word` that make a token need quotes (see `wordNeedsQuotes`).
    @inline(__always)
    static func quoteFlags(_ word: UInt64) -> UInt64 {
        SWARBytes.below(0x21, in: word) | specialFlags(word) | SWARBytes.equal(0x3D, in: word)
    }

    /// Whether any of the 8 bytes of `word` must be escaped inside quotes: a control character, `"`, `\` or DEL.
    @inline(__always)
    static func wordNeedsEscape(_ word: UInt64) -> Bool {
        escapeFlags(word) & SWARBytes.highBits != 0
    }

    /// Flags (high bit set) the bytes of `word` that must be escaped inside quotes (see `wordNeedsEscape`).
    @inline(__always)
    static func escapeFlags(_ word: UInt64) -> UInt64 {
        SWARBytes.below(0x20, in: word) | specialFlags(word)
    }

    /// Flags the bytes of `word` that are `"`, `\` or DEL (escaped inside quotes, and a reason to quote).
    @inline(__always)
    private static func specialFlags(_ word: UInt64) -> UInt64 {
        SWARBytes.equal(0x22, in: word) | SWARBytes.equal(0x5C, in: word) | SWARBytes.equal(0x7F, in: word)
    }

    /// The most bytes `duration` writes.
    static let durationBound = 32

    /// Writes a duration with a unit a person reads at a glance: `850ns`, `12.5us`, `1.234ms`, `2.001s`.
    @inline(__always)
    mutating func duration(_ nanos: UInt64) {
        switch nanos {
        case ..<1_000:
            integer(nanos)
            raw("ns")
        case ..<1_000_000:
            integer(nanos / 1_000)
            byte(UInt8(ascii: "."))
            integer(nanos % 1_000 / 100)
            raw("us")
        case ..<1_000_000_000:
            integer(nanos / 1_000_000)
            byte(UInt8(ascii: "."))
            integer(nanos % 1_000_000 / 1_000, minimumDigits: 3)
            raw("ms")
        default:
            integer(nanos / 1_000_000_000)
            byte(UInt8(ascii: "."))
            integer(nanos % 1_000_000_000 / 1_000_000, minimumDigits: 3)
            byte(UInt8(ascii: "s"))
        }
    }

    /// The most bytes `timestamp` writes (a 64-bit nanosecond count ends in year 2554).
    static let timestampBound = 32

    /// Writes a UTC RFC 3339 timestamp with microseconds, e.g. `2026-11-25T15:30:00.123456Z`.
    @inline(__always)
    mutating func timestamp(_ unixNanos: UInt64) {
        dateAndTime(Int64(unixNanos / 1_000_000_000))
        fractionOfSecond(unixNanos)
    }

    /// Writes the timestamp as `timestamp(_:)` does, taking its `YYYY-MM-DDTHH:MM:SS` part from `second` when the
    /// span started in the same second as the previous line (a batch's spans mostly do) and updating it otherwise.
    @inline(__always)
    mutating func timestamp(_ unixNanos: UInt64, reusing second: inout ConsoleSecondText) {
        let seconds = Int64(unixNanos / 1_000_000_000)
        if seconds == second.second {
            withUnsafeBytes(of: second.text) { bytes(UnsafeRawBufferPointer(rebasing: $0[..<second.count])) }
        } else {
            let start = offset
            dateAndTime(seconds)
            let count = offset &- start
            if count <= MemoryLayout.size(ofValue: second.text) {
                withUnsafeMutableBytes(of: &second.text) { $0.baseAddress!.copyMemory(from: base + start, byteCount: count) }
                second.count = count
                second.second = seconds
            }
        }
        fractionOfSecond(unixNanos)
    }

    /// Writes the timestamp's `.uuuuuuZ` tail: the microseconds within the second.
    @inline(__always)
    private mutating func fractionOfSecond(_ unixNanos: UInt64) {
        byte(UInt8(ascii: "."))
        integer((unixNanos % 1_000_000_000) / 1_000, minimumDigits: 6)
        byte(UInt8(ascii: "Z"))
    }

    /// Writes `YYYY-MM-DDTHH:MM:SS` (UTC) for seconds since the Unix epoch.
    private mutating func dateAndTime(_ seconds: Int64) {
        let days = seconds / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = ConsoleSpanFormatter.civilDate(daysSinceEpoch: days)
        integer(Int64(year))
        byte(UInt8(ascii: "-"))
        twoDigits(month)
        byte(UInt8(ascii: "-"))
        twoDigits(day)
        byte(UInt8(ascii: "T"))
        twoDigits(secondOfDay / 3600)
        byte(UInt8(ascii: ":"))
        twoDigits(secondOfDay / 60 % 60)
        byte(UInt8(ascii: ":"))
        twoDigits(secondOfDay % 60)
    }

    @inline(__always)
    private mutating func twoDigits(_ value: Int) {
        base.storeBytes(of: DecimalDigits.pair(value), toByteOffset: offset, as: UInt16.self)
        offset &+= 2
    }

    /// Writes the 32 lowercase hex digits of `id`.
    @inline(__always)
    mutating func hex(_ id: TraceID) {
        id.writeHex(into: UnsafeMutableRawBufferPointer(start: base + offset, count: 32))
        offset &+= 32
    }

    /// Writes the 16 lowercase hex digits of `id`.
    @inline(__always)
    mutating func hex(_ id: SpanID) {
        id.writeHex(into: UnsafeMutableRawBufferPointer(start: base + offset, count: 16))
        offset &+= 16
    }
}

/// The `YYYY-MM-DDTHH:MM:SS` text of the second the last formatted line started in, kept while a batch is formatted
/// so spans of the same second (nearly all of a batch) do not work out the calendar date again.
struct ConsoleSecondText {
    /// Seconds since the Unix epoch that `text` spells; `Int64.min` before the first line.
    var second = Int64.min
    /// The text's bytes (19 for years 0–9999; a longer text is not kept).
    var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
    /// How many bytes of `text` are used.
    var count = 0
}
