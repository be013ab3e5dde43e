import Foundation
import MLCIGit

/// The hook script mlci writes: its stages and binary as shell words, and the checksum line
/// that tells mlci's own hook from a user's hook holding the same lines.
extension HookInstaller {
    /// `--stages a,b`, or the hook's default (lint,test for pre-push, lint for pre-commit). Each
    /// name must be one mlci.yml accepts (`Stage.nameProblem`: a control character — a newline
    /// would end the hook's comment — is refused); names are written quoted in the script.
    public static func stageList(_ text: String?, hook: String) throws -> [String] {
        let list = (text ?? (hook == "pre-commit" ? "lint" : "lint,test")).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !list.isEmpty else { throw HookError.noStages }
        for name in list {
            if let problem = Stage.nameProblem(name) { throw HookError.badStageName(problem: problem) }
        }
        return list
    }

    /// `text` as one single-quoted POSIX shell word.
    static func shellWord(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// This mlci's absolute path, recorded in the hook.
    public static func runningBinary() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        let arg = CommandLine.arguments[0]
        return arg.hasPrefix("/") ? arg : FileManager.default.currentDirectoryPath + "/" + arg
    }

    static let checksumPrefix = "# mlci-checksum: "

    /// The hook text with its checksum line's value blanked: what the checksum covers.
    private static func unsummed(_ text: String) -> (text: String, checksum: String)? {
        var checksum: String?
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(checksumPrefix) {
                guard checksum == nil else { return nil }
                checksum = String(line.dropFirst(checksumPrefix.count))
                lines.append(Substring(checksumPrefix))
            } else {
                lines.append(line)
            }
        }
        return checksum.map { (lines.joined(separator: "\n"), $0) }
    }

    static func checksum(_ text: String) -> String { SHA256.hex(SHA256.hash(Array(text.utf8))) }

    /// Whether `text` is exactly a hook mlci wrote for `hook`: its checksum line holds the
    /// SHA-256 of the rest. A user's hook that merely contains mlci's lines is not mlci's, and
    /// is never replaced or removed as if it were.
    static func isOwnHook(_ text: String, hook: String) -> Bool {
        guard let (body, sum) = unsummed(text) else { return false }
        return sum == checksum(body) && body.split(separator: "\n").contains("# mlci-hook: \(hook)")
    }

    /// The hook script for these settings, from `hooks/<hook>` (pre-commit uses the pre-push
    /// script's shape).
    static func script(hook: String, stages: [String], failOpen: Bool, binary: String) throws -> String {
        guard let template = Templates.builtIn("hooks/pre-push") else {
            throw HookError.templateMissing
        }
        let quoted = shellWord(binary)
        let body =
            template
            .replacingOccurrences(of: "@HOOK@", with: hook)
            // One single-quoted shell word: a stage name is never shell syntax in the script.
            .replacingOccurrences(of: "@STAGES_WORD@", with: shellWord(stages.joined(separator: ",")))
            .replacingOccurrences(of: "@STAGES@", with: stages.joined(separator: ","))
            .replacingOccurrences(of: "@FAIL_OPEN@", with: failOpen ? "true" : "false")
            .replacingOccurrences(of: "@MLCI_BIN_COMMENT@", with: binary.replacingOccurrences(of: "\n", with: " "))
            .replacingOccurrences(of: "@MLCI_BIN@", with: quoted)
            .replacingOccurrences(of: "@CHECKSUM@", with: "")
        return body.replacingOccurrences(
            of: "\n" + checksumPrefix + "\n", with: "\n" + checksumPrefix + checksum(body) + "\n")
    }
}
