import COpenSSL
import COpenSSLShims
import Glibc

/// One TLS session over memory BIOs: ciphertext in and out as bytes, so the event loop stays the only owner of
/// socket I/O and TLS adds no thread and no blocking call.
///
/// The connection handler feeds what it reads with `receive(ciphertext:)`, pulls plaintext with
/// `readPlaintext(_:)`, encrypts with `writePlaintext(_:)` and sends what `takeCiphertext(_:)` yields.
/// Loop-confined like the connection that owns it.
public final class TLSStream {
    private let ssl: OpaquePointer
    private let readBIO: OpaquePointer   // ciphertext from the peer, written by us, read by OpenSSL
    private let writeBIO: OpaquePointer  // ciphertext to the peer, written by OpenSSL, read by us
    private let context: TLSContext
    /// Whether the handshake has completed.
    public private(set) var isHandshakeComplete = false

    /// Creates a client stream that verifies `serverName` (a DNS name or IP literal) when the context verifies, and
    /// sends it as SNI when it is a name; or a server stream when `context` is a server context.
    public init(context: TLSContext, serverName: String?) throws(TLSError) {
        guard let ssl = SSL_new(context.context) else { throw TLSError.fromQueue("SSL_new") }
        guard let r = BIO_new(BIO_s_mem()), let w = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw TLSError.fromQueue("BIO_new")
        }
        self.ssl = ssl
        readBIO = r
        writeBIO = w
        self.context = context
        SSL_set_bio(ssl, r, w)  // the SSL now owns both BIOs
        if context.isServer {
            SSL_set_accept_state(ssl)
        } else {
            SSL_set_connect_state(ssl)
            if let serverName, !serverName.isEmpty {
                let isIP = Self.isIPLiteral(serverName)
                if !isIP { _ = cossl_set_tlsext_host_name(ssl, serverName) }
                if context.verifiesPeer {
                    let ok: Int32
                    if isIP {
                        ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName)
                    } else {
                        ok = SSL_set1_host(ssl, serverName)
                    }
                    guard ok == 1 else {
                        SSL_free(ssl)
                        throw TLSError.fromQueue("setting expected host \(serverName)")
                    }
                }
            }
        }
    }

    deinit {
        SSL_free(ssl)
    }

    /// The protocol ALPN settled on ("h2", "http/1.1"), or nil when none was negotiated.
    public var negotiatedProtocol: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// Advances the handshake; returns true once it is complete. Call after connecting and after each `receive`.
    @discardableResult
    public func handshake() throws(TLSError) -> Bool {
        guard !isHandshakeComplete else { return true }
        ERR_clear_error()
        let rc = SSL_do_handshake(ssl)
        if rc == 1 {
            isHandshakeComplete = true
            return true
        }
        let code = SSL_get_error(ssl, rc)
        if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE { return false }
        var error = TLSError.fromQueue("handshake")
        let verify = SSL_get_verify_result(ssl)
        if verify != Int(X509_V_OK), let text = X509_verify_cert_error_string(verify) {
            error.detail += " (certificate: \(String(cString: text)))"
        }
        throw error
    }

    /// Hands ciphertext read from the socket to OpenSSL (copied once into the read BIO).
    public func receive(ciphertext: UnsafeRawBufferPointer) {
        guard ciphertext.count > 0 else { return }
        _ = BIO_write(readBIO, ciphertext.baseAddress, Int32(ciphertext.count))
    }

    /// Decrypts every complete record received so far, calling `body` with each plaintext chunk (valid during the
    /// call only); `scratch` is the caller's reused buffer. Returns false when the peer sent close_notify.
    public func readPlaintext(scratch: UnsafeMutableRawBufferPointer,
                              _ body: (UnsafeRawBufferPointer) -> Void) throws(TLSError) -> Bool {
        while true {
            ERR_clear_error()
            let n = SSL_read(ssl, scratch.baseAddress, Int32(min(scratch.count, Int(Int32.max))))
            if n > 0 {
                body(UnsafeRawBufferPointer(start: scratch.baseAddress, count: Int(n)))
                continue
            }
            let code = SSL_get_error(ssl, n)
            if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE { return true }
            if code == SSL_ERROR_ZERO_RETURN { return false }
            throw TLSError.fromQueue("read")
        }
    }

    /// Encrypts `plaintext` into the write BIO; send the result with `takeCiphertext`.
    public func writePlaintext(_ plaintext: UnsafeRawBufferPointer) throws(TLSError) {
        var offset = 0
        while offset < plaintext.count {
            ERR_clear_error()
            let n = SSL_write(ssl, plaintext.baseAddress! + offset, Int32(min(plaintext.count - offset, 1 << 30)))
            guard n > 0 else { throw TLSError.fromQueue("write") }
            offset += Int(n)
        }
    }

    /// Queues a close_notify alert; send it with `takeCiphertext`.
    public func close() {
        _ = SSL_shutdown(ssl)
    }

    /// Ciphertext waiting to go to the peer, in bytes.
    public var pendingCiphertextCount: Int { Int(cossl_bio_pending(writeBIO)) }

    /// Calls `body` with the ciphertext waiting to be sent (valid during the call), then discards it.
    public func takeCiphertext(_ body: (UnsafeRawBufferPointer) -> Void) {
        var pointer: UnsafeMutablePointer<CChar>?
        let count = cossl_bio_get_mem_data(writeBIO, &pointer)
        guard count > 0, let pointer else { return }
        body(UnsafeRawBufferPointer(start: pointer, count: count))
        _ = BIO_ctrl(writeBIO, BIO_CTRL_RESET, 0, nil)
    }

    private static func isIPLiteral(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}

@available(*, unavailable)
extension TLSStream: Sendable {}
