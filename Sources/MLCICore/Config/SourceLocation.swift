/// A place in a file, printed as `file:line:column` so editors and CI annotations can jump to it.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The file is a path from the repository: quoted when it needs it (`quotedIfNeeded`).
    public var description: String { "\(file.quotedIfNeeded):\(line):\(column)" }

    /// The line and column (in characters, from 1) of a byte offset into UTF-8 `bytes`.
    init(file: String, byteOffset: Int, in bytes: [UInt8]) {
        let before = bytes[..<min(max(byteOffset, 0), bytes.count)]
        let lines = before.split(separator: 0x0a, omittingEmptySubsequences: false)
        self.init(
            file: file, line: lines.count,
            column: String(decoding: lines.last ?? [], as: UTF8.self).unicodeScalars.count + 1)
    }
}
