import CLibgit2

/// libgit2 must be initialised once per process before any call; it is never shut down,
/// because the tool lives only as long as one command.
enum Libgit2 {
    private static let token: Int32 = {
        let count = git_libgit2_init()
        // Read objects as git does: without re-hashing each one on the way in.
        _ = mlci_set_strict_hash_verification(0)
        // Each tree is read once per comparison; caching parsed objects only costs time.
        _ = mlci_set_caching(0)
        return count
    }()

    static func ensureInitialized() {
        _ = token
    }
}
