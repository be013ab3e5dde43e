import Foundation
import MLCIGit

/// Runs real processes for tests: git as the oracle, the built mlci binary, fixture scripts.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: [UInt8]
    public let stderr: [UInt8]
    public var out: String { String(decoding: stdout, as: UTF8.self) }
    public var err: String { String(decoding: stderr, as: UTF8.self) }
}
