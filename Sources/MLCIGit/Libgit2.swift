import CLibgit2

/// libgit2 must be initialised once per process before any call; it is never shut down,
/// because the tool lives only as long as one command.
enum Libgit2 {
    private static let token: Int32 = git_libgit2_init()

    static func ensureInitialized() {
        _ = token
    }
}
