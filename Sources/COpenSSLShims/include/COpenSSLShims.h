// COpenSSLShims: OpenSSL's function-like macros as real functions, since Swift cannot call C macros.
// No logic lives here: each function is exactly the macro it names, so NetIO's TLS code owns every decision.
#ifndef COPENSSLSHIMS_H
#define COPENSSLSHIMS_H

#include <openssl/ssl.h>
#include <openssl/bio.h>

/// SSL_CTX_set_min_proto_version(ctx, version).
int cossl_ctx_set_min_proto_version(SSL_CTX *ctx, int version);
/// SSL_set_tlsext_host_name(ssl, name): the SNI server name.
int cossl_set_tlsext_host_name(SSL *ssl, const char *name);
/// BIO_get_mem_data(bio, pp): bytes pending in a memory BIO; *pp points at them.
long cossl_bio_get_mem_data(BIO *bio, char **pp);
/// BIO_pending(bio).
size_t cossl_bio_pending(BIO *bio);
/// TLS1_2_VERSION.
int cossl_tls1_2_version(void);
/// SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER).
long cossl_ctx_set_partial_write_mode(SSL_CTX *ctx);

#endif
