import MLCIGit

/// One line of what git writes to a pre-push hook's standard input:
/// `<local ref> SP <local oid> SP <remote ref> SP <remote oid> LF`.
public struct PushedRef: Sendable, Equatable {
    public let localRef: String
    public let localOID: String
    public let remoteRef: String
    public let remoteOID: String

    /// A deletion pushes nothing: the local oid is all zeros (of any hash length).
    public var isDeletion: Bool { isAllZeros(localOID) }
    public var remoteIsNew: Bool { isAllZeros(remoteOID) }

    /// Parses git's pre-push input; every malformed line is reported (with its number).
    public static func parse(_ text: String) throws -> [PushedRef] {
        var refs: [PushedRef] = []
        var problems: [String] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmed.isEmpty { continue }
            let fields = trimmed.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            let hex = { (s: String) in !s.isEmpty && s.count >= 4 && s.allSatisfy(\.isHexDigit) }
            guard fields.count == 4, hex(fields[1]), hex(fields[3]) else {
                problems.append(
                    "line \(n + 1): expected '<local ref> <local oid> <remote ref> <remote oid>', got '\(trimmed)'")
                continue
            }
            refs.append(PushedRef(localRef: fields[0], localOID: fields[1], remoteRef: fields[2], remoteOID: fields[3]))
        }
        guard problems.isEmpty else {
            throw HookError.unreadablePushInput(problems: problems)
        }
        return refs
    }
}
