#ifndef MLCI_CLIBGIT2_SHIM_H
#define MLCI_CLIBGIT2_SHIM_H
#include <git2.h>
#include <git2/sys/repository.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/mempack.h>

/* git_libgit2_opts is variadic, which Swift cannot call; these wrappers fix its arguments. */

/* git does not re-hash objects it reads; libgit2 does by default (with collision-detecting
   SHA-1), which more than doubles the cost of reading trees. */
static inline int mlci_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

static inline int mlci_set_caching(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_CACHING, enabled);
}
#endif
