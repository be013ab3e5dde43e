import Foundation
import MLCIGit

#if canImport(Glibc)
    import Glibc
#endif

/// The record of a stage that passed: its key, how long it took, its (masked) log, and the
/// outputs it produced, stored by content hash.
public struct CacheRecord: Sendable {
    public let stage: String
    public let key: String
    public let duration: Double
    public let log: [String]
    public let outputs: [(path: String, hash: String, executable: Bool)]
    public let parts: CacheKeyParts
}
