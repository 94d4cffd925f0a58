import NetIO

/// Puts a `TLSStream` between a client connection handler and its socket: ciphertext in, plaintext out.
///
/// Owned by one handler on one loop. `scratch` receives decrypted records before they are handed on, so plaintext
/// is copied once (out of OpenSSL) and parsed in place.
final class TLSChannel {
    let stream: TLSStream
    private let scratch: UnsafeMutableRawBufferPointer

    init(context: TLSContext, serverName: String) throws(TLSError) {
        stream = try TLSStream(context: context, serverName: serverName)
        scratch = .allocate(byteCount: 16 * 1024, alignment: 16)
    }

    deinit {
        scratch.deallocate()
    }

    /// Starts (or continues) the handshake and queues its output on `connection`; true once complete.
    func advanceHandshake<H>(_ connection: TCPConnection<H>) throws(TLSError) -> Bool {
        let done = try stream.handshake()
        flushCiphertext(connection)
        return done
    }

    /// Feeds received ciphertext. When this completes the handshake, `handshakeDone` runs before any plaintext is
    /// delivered (a server may send application data, such as HTTP/2 SETTINGS, right behind its Finished message).
    /// Returns false on the peer's close_notify.
    func receive<H>(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection<H>, handshakeDone: () -> Void,
                    _ deliver: (UnsafeRawBufferPointer) -> Void) throws(TLSError) -> Bool {
        stream.receive(ciphertext: bytes)
        if !stream.isHandshakeComplete {
            let done = try stream.handshake()
            flushCiphertext(connection)
            guard done else { return true }
            handshakeDone()
        }
        let open = try stream.readPlaintext(scratch: scratch, deliver)
        flushCiphertext(connection)
        return open
    }

    /// Encrypts `bytes` and queues the records on `connection` (call `flush()` after).
    func send<H>(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection<H>) throws(TLSError) {
        try stream.writePlaintext(bytes)
        flushCiphertext(connection)
    }

    /// `send`, returning the error instead of throwing (for use inside non-throwing buffer closures).
    func trySend<H>(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection<H>) -> TLSError? {
        do {
            try send(bytes, on: connection)
            return nil
        } catch {
            return error
        }
    }

    private func flushCiphertext<H>(_ connection: TCPConnection<H>) {
        stream.takeCiphertext { connection.write(bytes: $0) }
        connection.flush()
    }
}

@available(*, unavailable)
extension TLSChannel: Sendable {}
