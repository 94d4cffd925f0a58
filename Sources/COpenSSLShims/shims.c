#include "COpenSSLShims.h"

int cossl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

int cossl_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

long cossl_bio_get_mem_data(BIO *bio, char **pp) {
    return BIO_get_mem_data(bio, pp);
}

size_t cossl_bio_pending(BIO *bio) {
    return BIO_pending(bio);
}

int cossl_tls1_2_version(void) {
    return TLS1_2_VERSION;
}

long cossl_ctx_set_partial_write_mode(SSL_CTX *ctx) {
    return SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}
