/// A writer that stores bytes through a raw pointer into room its caller reserved beforehand, without capacity
/// checks (`JSONRawWriter`, `ThriftBinaryWriter`, `ProtobufRawWriter`, `ConsoleLineWriter`).
///
/// The primitives every format shares (raw bytes, literals, decimal digits) live in this protocol's extension; each
/// writer adds its format's tokens. Never write more than the room reserved.
protocol ReservedRoomWriter {
    /// Creates a writer at `base` with nothing written.
    init(base: UnsafeMutableRawPointer)
    /// The first byte of the reserved room.
    var base: UnsafeMutableRawPointer { get }
    /// Bytes written so far.
    var offset: Int { get set }
}

extension ReservedRoomWriter {
    /// Grows `bytes` by `bound`, lets `body` write at most that many, then trims the unused tail.
    @inline(__always)
    static func withRoom(_ bound: Int, in bytes: inout [UInt8], _ body: (inout Self) -> Void) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: bound))
        let written = bytes.withUnsafeMutableBytes { buffer -> Int in
            var w = Self(base: buffer.baseAddress! + start)
            body(&w)
            return w.offset
        }
        precondition(written <= bound, "size bound too small for \(Self.self)")
        bytes.removeLast(bound &- written)
    }

    /// Writes one raw byte.
    @inline(__always)
    mutating func byte(_ b: UInt8) {
        base.storeBytes(of: b, toByteOffset: offset, as: UInt8.self)
        offset &+= 1
    }

    /// Writes raw bytes.
    @inline(__always)
    mutating func bytes(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        (base + offset).copyMemory(from: source, byteCount: bytes.count)
        offset &+= bytes.count
    }

    /// Writes the bytes of a literal (punctuation, keys known to need no escaping).
    @inline(__always)
    mutating func raw(_ s: StaticString) {
        bytes(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Writes an unsigned integer as decimal digits, zero-padded to `minimumDigits` (at most
    /// `max(20, minimumDigits)` bytes).
    @inline(__always)
    mutating func integer(_ value: UInt64, minimumDigits: Int = 1) {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits &+= 1
            rest /= 10
        }
        if digits < minimumDigits { digits = minimumDigits }
        var n = value
        var i = offset &+ digits &- 1
        while i >= offset {
            base.storeBytes(of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: n % 10), toByteOffset: i, as: UInt8.self)
            n /= 10
            i &-= 1
        }
        offset &+= digits
    }

    /// Writes a signed integer as decimal digits (at most 20 bytes).
    @inline(__always)
    mutating func integer(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        integer(value.magnitude)
    }
}
