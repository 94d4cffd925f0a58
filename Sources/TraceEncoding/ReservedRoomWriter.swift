/// A writer that stores bytes through a raw pointer into room its caller reserved beforehand, without capacity
/// checks (`JSONRawWriter`, `ThriftBinaryWriter`, `ProtobufRawWriter`).
protocol ReservedRoomWriter {
    /// Creates a writer at `base` with nothing written.
    init(base: UnsafeMutableRawPointer)
    /// Bytes written so far.
    var offset: Int { get }
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
}
