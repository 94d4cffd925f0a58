/// A 16-byte trace identifier, stored as two big-endian 64-bit halves.
///
/// W3C Trace Context §3.2.2.3: 32 lowercase hex characters; all zeros is invalid. Keeping the value as two
/// integers makes hashing, comparison and the ratio sampler (which reads bytes 8...15, i.e. `low`) cheap.
public struct TraceID: Hashable, Sendable {
    /// Bytes 0...7 of the identifier, read big-endian.
    public var high: UInt64
    /// Bytes 8...15 of the identifier, read big-endian.
    public var low: UInt64

    /// The all-zero identifier, which the specification defines as invalid.
    public static let invalid = TraceID(high: 0, low: 0)

    /// Creates an identifier from its two big-endian halves.
    @inlinable
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses 32 lowercase hex characters; returns nil for any other length or character (W3C Trace Context §3.2.2.3).
    ///
    /// An all-zero string parses to `TraceID.invalid`; callers decide whether that is acceptable.
    @inlinable
    public init?(hex: some StringProtocol) {
        var utf8 = String(hex)
        guard let parsed = utf8.withUTF8({ TraceID(hexBytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    /// Parses exactly 32 lowercase hex bytes, the fast path for propagators reading header bytes in place.
    @inlinable
    public init?(hexBytes bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 32,
            let high = Hex.parseUInt64(bytes, offset: 0, count: 16),
            let low = Hex.parseUInt64(bytes, offset: 16, count: 16)
        else { return nil }
        self.init(high: high, low: low)
    }

    /// Whether the identifier is non-zero, the only validity rule the specification has.
    @inlinable
    public var isValid: Bool { (high | low) != 0 }

    /// Calls `body` with the 16 big-endian bytes of the identifier, without allocating.
    @inlinable
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var storage = (high.bigEndian, low.bigEndian)
        return try Swift.withUnsafeBytes(of: &storage) { try body($0) }
    }

    /// The 16 big-endian bytes of the identifier (allocates; use `withUnsafeBytes` on hot paths).
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The 32-character lowercase hex form used by `traceparent` and OTLP/JSON.
    public var hexString: String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            writeHex(into: UnsafeMutableRawBufferPointer(buffer))
            return 32
        }
    }

    /// Writes the 32 lowercase hex characters into the first 32 bytes of `buffer`, which must be at least that long.
    @inlinable @inline(__always)
    public func writeHex(into buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count >= 32, "TraceID.writeHex needs 32 bytes")
        Hex.writeUInt64(high, into: buffer, offset: 0)
        Hex.writeUInt64(low, into: buffer, offset: 16)
    }
}

extension TraceID: CustomStringConvertible {
    /// The lowercase hex form.
    public var description: String { hexString }
}
