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

    /// Writes the replacement fields for a request received from `clientAddress` with effective `host`, with one
    /// buffer reservation for all four lines.
    static func write(
        into buffer: inout ByteBuffer, fields: HTTP1Fields, clientAddress: [UInt8], host: ArraySlice<UInt8>?, scheme: StaticString
    ) {
        // Bytes of the values earlier proxies sent (each followed by ", "); none for a first hop, nearly always.
        var incomingBytes = 0
        for i in fields.indices where fields.nameEquals(i, "x-forwarded-for") || fields.nameEquals(i, "via") {
            incomingBytes += fields[i].value.count + 2
        }
        clientAddress.withUnsafeBytes { address in
            if let host {
                host.withUnsafeBytes {
                    write(into: &buffer, fields: fields, incomingBytes: incomingBytes, address: address, host: $0, scheme: scheme)
                }
            } else {
                write(into: &buffer, fields: fields, incomingBytes: incomingBytes, address: address, host: nil, scheme: scheme)
            }
        }
    }

    /// `write` with the incoming values' length counted and the address and host as bytes.
    private static func write(
        into buffer: inout ByteBuffer, fields: HTTP1Fields, incomingBytes: Int, address: UnsafeRawBufferPointer,
        host: UnsafeRawBufferPointer?, scheme: StaticString
    ) {
        let forwardedFor: StaticString = "X-Forwarded-For: "
        let proto: StaticString = "\r\nX-Forwarded-Proto: "
        let forwardedHost: StaticString = "\r\nX-Forwarded-Host: "
        let via: StaticString = "\r\nVia: "
        let thisHop: StaticString = "1.1 tracegw\r\n"
        var count = forwardedFor.utf8CodeUnitCount + address.count + proto.utf8CodeUnitCount + scheme.utf8CodeUnitCount
            + via.utf8CodeUnitCount + thisHop.utf8CodeUnitCount + incomingBytes
        if let host { count += forwardedHost.utf8CodeUnitCount + host.count }
        buffer.writeReserved(count) { room in
            var cursor = HTTP1ByteCursor(room)
            // Each list gets this hop appended to the values that came in (the usual proxy chain, RFC 9110 §7.6.3).
            func putIncoming(named name: StaticString) {
                guard incomingBytes > 0 else { return }
                for i in fields.indices where fields.nameEquals(i, name) {
                    fields[i].value.withUnsafeBytes { cursor.put($0) }
                    cursor.put(", ")
                }
            }
            cursor.put(forwardedFor)
            putIncoming(named: "x-forwarded-for")
            cursor.put(address)
            cursor.put(proto)
            cursor.put(scheme)
            if let host {
                cursor.put(forwardedHost)
                cursor.put(host)
            }
            cursor.put(via)
            putIncoming(named: "via")
            cursor.put(thisHop)
        }
    }
}
