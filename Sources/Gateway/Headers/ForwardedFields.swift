import HTTP1
import IOCore

/// Writes the fields a reverse proxy adds to a forwarded request (X-Forwarded-For, -Proto, -Host, Via).
///
/// X-Forwarded-For gets the client address appended to any value the client sent (the usual proxy chain
/// convention); X-Forwarded-Proto and X-Forwarded-Host are set from this hop, replacing what the client sent;
/// Via gets `1.1 tracegw` appended (RFC 9110 §7.6.3). An incoming `Forwarded` field is passed on unchanged.
enum ForwardedFields {
    /// Whether the request field at `index` is one this type replaces (so the caller skips it).
    static func isReplaced(_ fields: HTTP1Fields, _ index: Int) -> Bool {
        fields.nameEquals(index, "x-forwarded-for") || fields.nameEquals(index, "x-forwarded-proto")
            || fields.nameEquals(index, "x-forwarded-host") || fields.nameEquals(index, "via")
    }

    /// Writes the replacement fields for a request received from `clientAddress` with effective `host`.
    static func write(
        into buffer: inout ByteBuffer, fields: HTTP1Fields, clientAddress: [UInt8], host: ArraySlice<UInt8>?, scheme: StaticString
    ) {
        var chained = false
        for i in fields.indices where fields.nameEquals(i, "x-forwarded-for") || fields.nameEquals(i, "via") {
            chained = true
            break
        }
        guard chained else {
            // No earlier proxy: the four lines have fixed parts only, written with one reservation.
            clientAddress.withUnsafeBytes { address in
                if let host {
                    host.withUnsafeBytes { writeFirstHop(into: &buffer, address: address, host: $0, scheme: scheme) }
                } else {
                    writeFirstHop(into: &buffer, address: address, host: nil, scheme: scheme)
                }
            }
            return
        }
        buffer.write("X-Forwarded-For: ")
        var first = true
        for i in fields.indices where fields.nameEquals(i, "x-forwarded-for") {
            if !first { buffer.write(", ") }
            buffer.write(fields[i].value)
            first = false
        }
        if !first { buffer.write(", ") }
        clientAddress.withUnsafeBytes { buffer.writeBytes($0) }
        buffer.write("\r\nX-Forwarded-Proto: ")
        buffer.write(scheme)
        buffer.write("\r\n")
        if let host {
            buffer.write("X-Forwarded-Host: ")
            buffer.write(host)
            buffer.write("\r\n")
        }
        writeVia(into: &buffer, fields: fields)
    }

    /// Writes the fields for a request no proxy forwarded before (no X-Forwarded-For or Via came in).
    private static func writeFirstHop(
        into buffer: inout ByteBuffer, address: UnsafeRawBufferPointer, host: UnsafeRawBufferPointer?, scheme: StaticString
    ) {
        let forwardedFor: StaticString = "X-Forwarded-For: "
        let proto: StaticString = "\r\nX-Forwarded-Proto: "
        let forwardedHost: StaticString = "\r\nX-Forwarded-Host: "
        let via: StaticString = "\r\nVia: 1.1 tracegw\r\n"
        var count = forwardedFor.utf8CodeUnitCount + address.count + proto.utf8CodeUnitCount + scheme.utf8CodeUnitCount
            + via.utf8CodeUnitCount
        if let host { count += forwardedHost.utf8CodeUnitCount + host.count }
        buffer.writeReserved(count) { room in
            var cursor = HTTP1ByteCursor(room)
            cursor.put(forwardedFor)
            cursor.put(address)
            cursor.put(proto)
            cursor.put(scheme)
            if let host {
                cursor.put(forwardedHost)
                cursor.put(host)
            }
            cursor.put(via)
        }
    }

    /// Writes `Via` with `1.1 tracegw` appended to the values in `fields`.
    static func writeVia(into buffer: inout ByteBuffer, fields: HTTP1Fields) {
        buffer.write("Via: ")
        for i in fields.indices where fields.nameEquals(i, "via") {
            buffer.write(fields[i].value)
            buffer.write(", ")
        }
        buffer.write("1.1 tracegw\r\n")
    }
}
