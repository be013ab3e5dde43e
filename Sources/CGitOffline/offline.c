/*
 * mlci never talks to a network through libgit2: it reads local repositories, and pushes and
 * fetches are git's own. On Linux mlci links Debian's libgit2 statically (see Package.swift),
 * and these definitions take the place of the two parts of it that reach for the network:
 *
 * - libgit2's HTTPS stream over mbedTLS, whose global initialisation, run by
 *   git_libgit2_init() in every process, parses the system's whole CA bundle (about 8 ms,
 *   most of a small plan's time);
 * - the GSSAPI calls of HTTP Negotiate authentication, which would otherwise load Kerberos.
 *
 * Because every symbol of libgit2's stream object is defined here, the linker never pulls
 * that object (nor mbedTLS's TLS and X.509 code) from the archive. Any use fails cleanly: a
 * stream cannot be created, Negotiate reports GSS_S_FAILURE.
 */
#if defined(__linux__)
#include <stddef.h>

int git_mbedtls_stream_global_init(void) { return 0; }

int git_mbedtls__set_cert_location(const char *file, const char *path) {
    (void)file;
    (void)path;
    return -1;
}

int git_mbedtls_stream_new(void **out, const char *host, const char *port) {
    (void)host;
    (void)port;
    if (out) *out = NULL;
    return -1;
}

int git_mbedtls_stream_wrap(void **out, void *in, const char *host) {
    (void)in;
    (void)host;
    if (out) *out = NULL;
    return -1;
}

typedef unsigned int mlci_gss_status;
#define MLCI_GSS_S_FAILURE (13u << 16)

void *GSS_C_NT_HOSTBASED_SERVICE = NULL;

mlci_gss_status gss_import_name(mlci_gss_status *minor, void *buffer, void *type, void *name) {
    (void)buffer;
    (void)type;
    (void)name;
    if (minor) *minor = 0;
    return MLCI_GSS_S_FAILURE;
}

mlci_gss_status gss_indicate_mechs(mlci_gss_status *minor, void *set) {
    (void)set;
    if (minor) *minor = 0;
    return MLCI_GSS_S_FAILURE;
}

mlci_gss_status gss_init_sec_context(
    mlci_gss_status *minor, void *credential, void *context, void *target, void *mechanism,
    mlci_gss_status flags, mlci_gss_status time, void *bindings, void *input, void *actual,
    void *output, mlci_gss_status *returned, mlci_gss_status *validity) {
    (void)credential; (void)context; (void)target; (void)mechanism; (void)flags; (void)time;
    (void)bindings; (void)input; (void)actual; (void)output; (void)returned; (void)validity;
    if (minor) *minor = 0;
    return MLCI_GSS_S_FAILURE;
}

mlci_gss_status gss_display_status(
    mlci_gss_status *minor, mlci_gss_status status, int type, void *mechanism, mlci_gss_status *context,
    void *text) {
    (void)status; (void)type; (void)mechanism; (void)context; (void)text;
    if (minor) *minor = 0;
    return MLCI_GSS_S_FAILURE;
}

mlci_gss_status gss_delete_sec_context(mlci_gss_status *minor, void *context, void *token) {
    (void)context;
    (void)token;
    if (minor) *minor = 0;
    return 0;
}

mlci_gss_status gss_release_buffer(mlci_gss_status *minor, void *buffer) {
    (void)buffer;
    if (minor) *minor = 0;
    return 0;
}

mlci_gss_status gss_release_name(mlci_gss_status *minor, void *name) {
    (void)name;
    if (minor) *minor = 0;
    return 0;
}

mlci_gss_status gss_release_oid_set(mlci_gss_status *minor, void *set) {
    (void)set;
    if (minor) *minor = 0;
    return 0;
}
#endif
