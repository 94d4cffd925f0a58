import COpenSSL
import COpenSSLShims

/// Shared TLS settings (an `SSL_CTX`): protocol floor TLS 1.2, trusted CAs, optional client certificate, ALPN.
///
/// Built once per exporter or listener and shared by its connections. `@unchecked Sendable`: the `SSL_CTX` is
/// configured completely in `init` and only read afterwards (`SSL_new` on any thread is safe per OpenSSL's
/// threading rules, the context's reference count is atomic).
public final class TLSContext: @unchecked Sendable {
    /// How a client context verifies and presents itself.
    public struct ClientConfiguration: Sendable, Hashable {
        /// PEM file of trusted CAs (OTEL_EXPORTER_OTLP_CERTIFICATE); nil uses the system store.
        public var trustedCAFile: String?
        /// PEM client certificate (OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE) for mutual TLS.
        public var certificateFile: String?
        /// PEM private key of the client certificate (OTEL_EXPORTER_OTLP_CLIENT_KEY).
        public var privateKeyFile: String?
        /// Skip certificate and host verification; only when the user asked (OTEL_EXPORTER_OTLP_INSECURE on https).
        public var skipsVerification: Bool
        /// ALPN protocols to offer, most preferred first (e.g. ["h2"] for gRPC, ["http/1.1"]).
        public var applicationProtocols: [String]

        /// A verifying client configuration with the system CAs and no ALPN.
        public init(trustedCAFile: String? = nil, certificateFile: String? = nil, privateKeyFile: String? = nil,
                    skipsVerification: Bool = false, applicationProtocols: [String] = []) {
            self.trustedCAFile = trustedCAFile
            self.certificateFile = certificateFile
            self.privateKeyFile = privateKeyFile
            self.skipsVerification = skipsVerification
            self.applicationProtocols = applicationProtocols
        }
    }

    let context: OpaquePointer
    /// Whether streams from this context verify the peer and its name.
    public let verifiesPeer: Bool
    /// Whether this is a server context (accepting handshakes).
    public let isServer: Bool
    /// ALPN protocols a server context selects from, in preference order (wire format).
    let serverProtocols: [UInt8]

    /// Creates a client context.
    public init(client configuration: ClientConfiguration) throws(TLSError) {
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { throw TLSError.fromQueue("SSL_CTX_new") }
        context = ctx
        verifiesPeer = !configuration.skipsVerification
        isServer = false
        serverProtocols = []
        try configureCommon()
        if verifiesPeer {
            if let ca = configuration.trustedCAFile {
                guard SSL_CTX_load_verify_locations(ctx, ca, nil) == 1 else {
                    throw TLSError.fromQueue("loading CA file \(ca)")
                }
            } else {
                guard SSL_CTX_set_default_verify_paths(ctx) == 1 else { throw TLSError.fromQueue("loading system CAs") }
            }
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        } else {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        }
        if let cert = configuration.certificateFile {
            try loadCertificate(cert, key: configuration.privateKeyFile ?? cert)
        }
        if !configuration.applicationProtocols.isEmpty {
            let wire = Self.alpnWireFormat(configuration.applicationProtocols)
            // SSL_CTX_set_alpn_protos returns 0 on success (unlike most OpenSSL calls).
            let rc = wire.withUnsafeBufferPointer { SSL_CTX_set_alpn_protos(ctx, $0.baseAddress, UInt32($0.count)) }
            guard rc == 0 else { throw TLSError.fromQueue("setting ALPN") }
        }
    }

    /// Creates a server context from PEM files (used by tests and, later, TLS listeners).
    public init(serverCertificateFile: String, privateKeyFile: String, applicationProtocols: [String] = []) throws(TLSError) {
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw TLSError.fromQueue("SSL_CTX_new") }
        context = ctx
        verifiesPeer = false
        isServer = true
        serverProtocols = Self.alpnWireFormat(applicationProtocols)
        try configureCommon()
        try loadCertificate(serverCertificateFile, key: privateKeyFile)
        if !serverProtocols.isEmpty {
            SSL_CTX_set_alpn_select_cb(ctx, { _, out, outLength, offered, offeredLength, arg in
                guard let arg else { return SSL_TLSEXT_ERR_NOACK }
                let context = Unmanaged<TLSContext>.fromOpaque(arg).takeUnretainedValue()
                return context.serverProtocols.withUnsafeBufferPointer { ours -> Int32 in
                    var selected: UnsafeMutablePointer<UInt8>?
                    var selectedLength: UInt8 = 0
                    let rc = SSL_select_next_proto(&selected, &selectedLength, ours.baseAddress, UInt32(ours.count),
                                                   offered, offeredLength)
                    guard rc == OPENSSL_NPN_NEGOTIATED, let selected else { return SSL_TLSEXT_ERR_NOACK }
                    // `selected` points into `offered`, which OpenSSL keeps alive for the handshake.
                    let inOffered = UnsafePointer(selected)
                    out?.pointee = inOffered
                    outLength?.pointee = selectedLength
                    return SSL_TLSEXT_ERR_OK
                }
            }, Unmanaged.passUnretained(self).toOpaque())
        }
    }

    deinit {
        SSL_CTX_free(context)
    }

    private func configureCommon() throws(TLSError) {
        guard cossl_ctx_set_min_proto_version(context, cossl_tls1_2_version()) == 1 else {
            throw TLSError.fromQueue("setting minimum version TLS 1.2")
        }
        _ = cossl_ctx_set_partial_write_mode(context)
    }

    private func loadCertificate(_ certificate: String, key: String) throws(TLSError) {
        guard SSL_CTX_use_certificate_chain_file(context, certificate) == 1 else {
            throw TLSError.fromQueue("loading certificate \(certificate)")
        }
        guard SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM) == 1 else {
            throw TLSError.fromQueue("loading private key \(key)")
        }
        guard SSL_CTX_check_private_key(context) == 1 else { throw TLSError.fromQueue("matching key and certificate") }
    }

    /// ALPN's wire format: each protocol name prefixed by its length byte (RFC 7301 §3.1).
    static func alpnWireFormat(_ protocols: [String]) -> [UInt8] {
        var wire: [UInt8] = []
        for p in protocols where !p.isEmpty && p.utf8.count < 256 {
            wire.append(UInt8(p.utf8.count))
            wire.append(contentsOf: p.utf8)
        }
        return wire
    }
}

extension TLSError {
    /// Drains OpenSSL's thread-local error queue into an error for `operation`.
    static func fromQueue(_ operation: String) -> TLSError {
        var parts: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            parts.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return TLSError(operation, detail: parts.isEmpty ? "unknown error" : parts.joined(separator: "; "))
    }
}
