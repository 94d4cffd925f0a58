/// Reads what the exporter needs from gRPC's error trailers: the percent-decoded `grpc-message`, and the delay of a
/// `google.rpc.RetryInfo` inside `grpc-status-details-bin` (a base64 `google.rpc.Status`).
///
/// gRPC over HTTP/2 (PROTOCOL-HTTP2.md, "Responses"); `google/rpc/status.proto` (field 3: repeated Any details);
/// `google/rpc/error_details.proto` (RetryInfo field 1: Duration retry_delay = seconds 1, nanos 2).
public enum GRPCStatusDetails {
    /// The type URL of `google.rpc.RetryInfo` inside an `Any`.
    static let retryInfoTypeURL = Array("type.googleapis.com/google.rpc.RetryInfo".utf8)

    /// Decodes `%XX` escapes of a grpc-message value.
    public static func decodeMessage(_ text: String) -> String {
        var bytes: [UInt8] = []
        var it = Array(text.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2, let h = hex(it[it.startIndex]), let l = hex(it[it.startIndex + 1]) {
                bytes.append(h << 4 | l)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The RetryInfo delay in nanoseconds from a `grpc-status-details-bin` value, or nil when there is none.
    public static func retryDelayNanoseconds(statusDetailsBase64: String) -> UInt64? {
        guard let status = base64Decode(statusDetailsBase64) else { return nil }
        var reader = WireReader(bytes: status[...])
        while let (field, wire) = reader.tag() {
            guard field == 3, wire == 2, let any = reader.lengthDelimited() else {
                if !reader.skip(wire) { return nil }
                continue
            }
            var anyReader = WireReader(bytes: any)
            var typeURL: ArraySlice<UInt8> = []
            var value: ArraySlice<UInt8> = []
            while let (f, w) = anyReader.tag() {
                if w == 2, let bytes = anyReader.lengthDelimited() {
                    if f == 1 { typeURL = bytes } else if f == 2 { value = bytes }
                } else if !anyReader.skip(w) {
                    return nil
                }
            }
            guard Array(typeURL) == retryInfoTypeURL else { continue }
            var info = WireReader(bytes: value)
            while let (f, w) = info.tag() {
                guard f == 1, w == 2, let duration = info.lengthDelimited() else {
                    if !info.skip(w) { return nil }
                    continue
                }
                var d = WireReader(bytes: duration)
                var seconds: UInt64 = 0
                var nanos: UInt64 = 0
                while let (df, dw) = d.tag() {
                    if dw == 0, let v = d.varint() {
                        if df == 1 { seconds = v } else if df == 2 { nanos = v }
                    } else if !d.skip(dw) {
                        return nil
                    }
                }
                return seconds &* 1_000_000_000 &+ nanos
            }
        }
        return nil
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: return b - 48
        case 65...70: return b - 55
        case 97...102: return b - 87
        default: return nil
        }
    }

    /// Decodes standard base64, padded or not (gRPC sends `-bin` values unpadded).
    static func base64Decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for c in text.utf8 {
            let v: UInt8
            switch c {
            case 65...90: v = c - 65
            case 97...122: v = c - 71
            case 48...57: v = c + 4
            case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
            case UInt8(ascii: "="), 32, 10, 13: continue
            default: return nil
            }
            accumulator = accumulator << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return out
    }

    /// The few protobuf wire-format reads these messages need.
    struct WireReader {
        var bytes: ArraySlice<UInt8>

        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while let b = bytes.popFirst() {
                value |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return value }
                shift += 7
                if shift > 63 { return nil }
            }
            return nil
        }

        mutating func tag() -> (Int, Int)? {
            guard !bytes.isEmpty, let t = varint() else { return nil }
            return (Int(t >> 3), Int(t & 7))
        }

        mutating func lengthDelimited() -> ArraySlice<UInt8>? {
            guard let n = varint(), n <= UInt64(bytes.count) else { return nil }
            let start = bytes.startIndex
            let slice = bytes[start..<start + Int(n)]
            bytes = bytes[(start + Int(n))...]
            return slice
        }

        mutating func skip(_ wire: Int) -> Bool {
            switch wire {
            case 0: return varint() != nil
            case 1: guard bytes.count >= 8 else { return false }; bytes = bytes.dropFirst(8); return true
            case 2: return lengthDelimited() != nil
            case 5: guard bytes.count >= 4 else { return false }; bytes = bytes.dropFirst(4); return true
            default: return false
            }
        }
    }
}
