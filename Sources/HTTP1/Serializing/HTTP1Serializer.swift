/// Writes HTTP/1.1 message heads, chunk framing and fixed error responses into a caller's byte sink (RFC 9112).
///
/// Pure functions with no state: the proxy writes the start line, forwards the fields it keeps, adds its own, and ends
/// the head. Field bytes are written as given; fields that came from the parsers are already validated, and fields the
/// caller builds must be tokens and values without CR, LF or NUL (RFC 9110 §5.5) — the serializer does not re-check.
public enum HTTP1Serializer {
    /// Writes `method SP target SP version CRLF` (RFC 9112 §3).
    public static func writeRequestLine<Sink: HTTP1ByteSink>(
        method: HTTP1Method, target: ArraySlice<UInt8>, version: HTTP1Version = .http1_1, into sink: inout Sink
    ) {
        let versionName = version.wireName
        let versionBytes = UnsafeRawBufferPointer(start: versionName.utf8Start, count: versionName.utf8CodeUnitCount)
        target.withUnsafeBytes { target in
            if let name = method.staticName {
                let nameBytes = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
                writeStartLine(nameBytes, target, versionBytes, into: &sink)
            } else if case .other(let token) = method {
                token.withUnsafeBytes { writeStartLine($0, target, versionBytes, into: &sink) }
            }
        }
    }

    /// Writes `version SP status SP reason CRLF` (RFC 9112 §4).
    public static func writeStatusLine<Sink: HTTP1ByteSink>(
        status: Int, reason: ArraySlice<UInt8>, version: HTTP1Version = .http1_1, into sink: inout Sink
    ) {
        let versionName = version.wireName
        let versionBytes = UnsafeRawBufferPointer(start: versionName.utf8Start, count: versionName.utf8CodeUnitCount)
        HTTP1Digits.withDigits(of: status, radix: 10) { digits in
            reason.withUnsafeBytes { writeStartLine(versionBytes, digits, $0, into: &sink) }
        }
    }

    /// Writes a start line, `first SP second SP third CRLF`, with one reservation.
    private static func writeStartLine<Sink: HTTP1ByteSink>(
        _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, _ third: UnsafeRawBufferPointer,
        into sink: inout Sink
    ) {
        sink.writeReserved(first.count + second.count + third.count + 4) { room in
            var cursor = HTTP1ByteCursor(room)
            cursor.put(first)
            cursor.put(byte: ASCII.space)
            cursor.put(second)
            cursor.put(byte: ASCII.space)
            cursor.put(third)
            cursor.put("\r\n")
        }
    }

    /// Writes one `name: value CRLF` field line.
    public static func writeField<Sink: HTTP1ByteSink>(
        name: ArraySlice<UInt8>, value: ArraySlice<UInt8>, into sink: inout Sink
    ) {
        name.withUnsafeBytes { name in
            value.withUnsafeBytes { value in writeFieldLine(name, value, into: &sink) }
        }
    }

    /// Writes `name: value CRLF` with one reservation for the line.
    @inlinable @usableFromInline
    static func writeFieldLine<Sink: HTTP1ByteSink>(
        _ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, into sink: inout Sink
    ) {
        sink.writeReserved(name.count + value.count + 4) { room in
            var cursor = HTTP1ByteCursor(room)
            cursor.put(name)
            cursor.put(": ")
            cursor.put(value)
            cursor.put("\r\n")
        }
    }

    /// Writes field line `index` of `fields` as `name: value CRLF`, straight from the list's storage (no slices, so
    /// no reference counting per field).
    @inlinable
    public static func writeField<Sink: HTTP1ByteSink>(_ fields: HTTP1Fields, at index: Int, into sink: inout Sink) {
        let e = fields.entries[index]
        fields.bytes.withUnsafeBytes { base in
            writeFieldLine(
                UnsafeRawBufferPointer(rebasing: base[Int(e.nameStart)..<Int(e.nameStart + e.nameLength)]),
                UnsafeRawBufferPointer(rebasing: base[Int(e.valueStart)..<Int(e.valueStart + e.valueLength)]),
                into: &sink)
        }
    }

    /// Writes a field line with a fixed name, e.g. one the gateway adds (`traceparent`), and value bytes from any
    /// buffer.
    public static func writeField<Sink: HTTP1ByteSink>(
        name: StaticString, value: UnsafeRawBufferPointer, into sink: inout Sink
    ) {
        writeFieldLine(UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), value, into: &sink)
    }

    /// Writes `Transfer-Encoding: chunked`, for bodies re-framed as chunked.
    public static func writeChunkedTransferEncoding<Sink: HTTP1ByteSink>(into sink: inout Sink) {
        sink.write("Transfer-Encoding: chunked\r\n")
    }

    /// Writes a `Content-Length: n` field line.
    public static func writeContentLength<Sink: HTTP1ByteSink>(_ length: Int, into sink: inout Sink) {
        HTTP1Digits.withDigits(of: length, radix: 10) { digits in
            let name: StaticString = "Content-Length: "
            sink.writeReserved(name.utf8CodeUnitCount + digits.count + 2) { room in
                var cursor = HTTP1ByteCursor(room)
                cursor.put(name)
                cursor.put(digits)
                cursor.put("\r\n")
            }
        }
    }

    /// Writes every field of `fields` except the indices `skipping` reports (e.g. `HopByHopFields.contains`).
    public static func writeFields<Sink: HTTP1ByteSink>(
        _ fields: HTTP1Fields, skipping: (Int) -> Bool = { _ in false }, into sink: inout Sink
    ) {
        for index in fields.indices where !skipping(index) {
            writeField(fields, at: index, into: &sink)
        }
    }

    /// Writes every field of `fields` that is not hop-by-hop: the forwarding case, without a closure.
    public static func writeFields<Sink: HTTP1ByteSink>(
        _ fields: HTTP1Fields, removing hopByHop: HopByHopFields, into sink: inout Sink
    ) {
        for index in fields.indices where !hopByHop.contains(index) {
            writeField(fields, at: index, into: &sink)
        }
    }

    /// Writes the empty line that ends a head (or a trailer section).
    public static func writeHeadEnd<Sink: HTTP1ByteSink>(into sink: inout Sink) {
        sink.write("\r\n")
    }

    /// Writes a whole request head: request line, `fields`, empty line.
    public static func writeRequestHead<Sink: HTTP1ByteSink>(
        method: HTTP1Method, target: ArraySlice<UInt8>, version: HTTP1Version = .http1_1, fields: HTTP1Fields,
        into sink: inout Sink
    ) {
        writeRequestLine(method: method, target: target, version: version, into: &sink)
        writeFields(fields, into: &sink)
        writeHeadEnd(into: &sink)
    }

    /// Writes a whole response head: status line, `fields`, empty line.
    public static func writeResponseHead<Sink: HTTP1ByteSink>(
        status: Int, reason: ArraySlice<UInt8>, version: HTTP1Version = .http1_1, fields: HTTP1Fields,
        into sink: inout Sink
    ) {
        writeStatusLine(status: status, reason: reason, version: version, into: &sink)
        writeFields(fields, into: &sink)
        writeHeadEnd(into: &sink)
    }

    /// Writes the `size CRLF` line that opens a chunk of `size` (> 0) bytes (RFC 9112 §7.1); follow the data with
    /// `writeChunkEnd`.
    public static func writeChunkHeader<Sink: HTTP1ByteSink>(size: Int, into sink: inout Sink) {
        precondition(size > 0, "a zero-size chunk ends the body; use writeLastChunk")
        sink.write(number: size, radix: 16)
        sink.write("\r\n")
    }

    /// Writes the CRLF that closes chunk data.
    public static func writeChunkEnd<Sink: HTTP1ByteSink>(into sink: inout Sink) {
        sink.write("\r\n")
    }

    /// Writes the last chunk, the trailer fields and the final CRLF (RFC 9112 §7.1).
    public static func writeLastChunk<Sink: HTTP1ByteSink>(trailers: HTTP1Fields = HTTP1Fields(), into sink: inout Sink) {
        sink.write("0\r\n")
        writeFields(trailers, into: &sink)
        sink.write("\r\n")
    }

    /// Writes `HTTP/1.1 100 Continue` and its empty line (RFC 9110 §15.2.1).
    public static func write100Continue<Sink: HTTP1ByteSink>(into sink: inout Sink) {
        sink.write("HTTP/1.1 100 Continue\r\n\r\n")
    }

    /// Writes a complete, body-less error response that closes the connection: status line, `Content-Length: 0`,
    /// `Connection: close`. Known codes: 400, 413, 414, 417, 431, 500, 501, 502, 503, 504, 505; others get no reason.
    public static func writeErrorResponse<Sink: HTTP1ByteSink>(status: Int, into sink: inout Sink) {
        sink.write("HTTP/1.1 ")
        sink.write(number: status, radix: 10)
        sink.write(byte: ASCII.space)
        sink.write(reasonPhrase(status))
        sink.write("\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    }

    /// Writes the error response a parse error calls for.
    public static func writeErrorResponse<Sink: HTTP1ByteSink>(for error: HTTP1ParseError, into sink: inout Sink) {
        writeErrorResponse(status: error.status, into: &sink)
    }

    /// The reason phrase for the statuses the gateway produces itself (RFC 9110 §15).
    public static func reasonPhrase(_ status: Int) -> StaticString {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 408: return "Request Timeout"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 417: return "Expectation Failed"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        default: return ""
        }
    }
}
