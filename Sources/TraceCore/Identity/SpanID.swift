/// An 8-byte span identifier, stored as one big-endian 64-bit integer.
///
/// W3C Trace Context §3.2.2.4 (`parent-id`): 16 lowercase hex characters; all zeros is invalid.
public struct SpanID: Hashable, Sendable {
    /// The 8 bytes of the identifier, read big-endian.
    public var rawValue: UInt64

    /// The all-zero identifier, which the specification defines as invalid.
    public static let invalid = SpanID(rawValue: 0)

    /// Creates an identifier from its big-endian integer value.
    @inlinable
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Parses 16 lowercase hex characters; returns nil for any other length or character.
    @inlinable
    public init?(hex: some StringProtocol) {
        var utf8 = String(hex)
        guard let parsed = utf8.withUTF8({ SpanID(hexBytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    /// Parses exactly 16 lowercase hex bytes, the fast path for propagators reading header bytes in place.
    @inlinable
    public init?(hexBytes bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 16, let value = Hex.parseUInt64(bytes, offset: 0, count: 16) else { return nil }
        self.init(rawValue: value)
    }

    /// Whether the identifier is non-zero.
    @inlinable
    public var isValid: Bool { rawValue != 0 }

    /// Calls `body` with the 8 big-endian bytes of the identifier, without allocating.
    @inlinable
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var storage = rawValue.bigEndian
        return try Swift.withUnsafeBytes(of: &storage) { try body($0) }
    }

    /// The 8 big-endian bytes of the identifier (allocates; use `withUnsafeBytes` on hot paths).
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The 16-character lowercase hex form.
    public var hexString: String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            writeHex(into: UnsafeMutableRawBufferPointer(buffer))
            return 16
        }
    }

    /// Writes the 16 lowercase hex characters into the first 16 bytes of `buffer`, which must be at least that long.
    @inlinable @inline(__always)
    public func writeHex(into buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count >= 16, "SpanID.writeHex needs 16 bytes")
        Hex.writeUInt64(rawValue, into: buffer, offset: 0)
    }
}

extension SpanID: CustomStringConvertible {
    /// The lowercase hex form.
    public var description: String { hexString }
}
