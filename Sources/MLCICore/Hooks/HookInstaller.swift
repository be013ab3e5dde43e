import Foundation
import MLCIGit

/// Installs, removes and describes mlci's git hooks without ever losing a user's own hook:
/// an existing hook is kept as `<hook>.mlci-prev` and run first, and uninstalling puts it back
/// byte for byte. mlci never sets or unsets `core.hooksPath`.
public struct HookInstaller {
    public static let supported = ["pre-push", "pre-commit"]
    let repo: Repository

    public init(repo: Repository) { self.repo = repo }

    /// `--stages a,b`, or the hook's default (lint,test for pre-push, lint for pre-commit). Each
    /// name must be one mlci.yml accepts (`Stage.nameProblem`: a control character — a newline
    /// would end the hook's comment — is refused); names are written quoted in the script.
    public static func stageList(_ text: String?, hook: String) throws -> [String] {
        let list = (text ?? (hook == "pre-commit" ? "lint" : "lint,test")).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !list.isEmpty else { throw HookError(.usage, "--stages needs at least one stage") }
        for name in list {
            if let problem = Stage.nameProblem(name) { throw HookError(.usage, "--stages: \(problem)") }
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

    /// What is at a hook's path.
    enum Existing {
        case absent
        case text(String)
        case symlink(String)
        case unreadable(String)
    }

    /// Reads the hook at `path` without following a link or blocking on a FIFO.
    static func existing(_ path: String) -> Existing {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            return errno == ENOENT ? .absent : .unreadable(String(cString: strerror(errno)))
        }
        if st.st_mode & S_IFMT == S_IFLNK {
            return .symlink((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")
        }
        guard st.st_mode & S_IFMT == S_IFREG else { return .unreadable("it is not a regular file") }
        guard let data = try? ConfinedFiles.readFile(path) else {
            return .unreadable("it cannot be read (mode \(String(st.st_mode & 0o7777, radix: 8)))")
        }
        return .text(String(decoding: data, as: UTF8.self))
    }

    /// The hooks directory as git resolves it: `core.hooksPath` (relative to the top of the
    /// working tree), else the hooks directory of the common git dir, shared by linked
    /// worktrees. A configured path outside the repository is refused unless `override` names
    /// the directory to use.
    public func hooksDirectory(override: String?) throws -> String {
        if let override { return Self.absolute(override, relativeTo: FileManager.default.currentDirectoryPath) }
        let top = repo.workdir ?? repo.gitDir
        if let configured = try repo.configString("core.hooksPath"), !configured.isEmpty {
            let expanded = configured.hasPrefix("~/") ? NSHomeDirectory() + configured.dropFirst(1) : configured
            let path = Self.absolute(expanded, relativeTo: top)
            let inside = [top, repo.commonDir].contains { Self.isInside(path, $0) }
            guard inside else {
                throw HookError(
                    .usage,
                    "core.hooksPath is set to \(configured), outside this repository, so a hook there would run for "
                        + "other repositories too. mlci does not change core.hooksPath; to install there anyway, pass --hooks-path \(path)"
                )
            }
            return path
        }
        return Self.absolute("hooks", relativeTo: repo.commonDir)
    }

    static func absolute(_ path: String, relativeTo base: String) -> String {
        let full = path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
        return URL(fileURLWithPath: full).standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func isInside(_ path: String, _ dir: String) -> Bool {
        let d = URL(fileURLWithPath: dir).standardizedFileURL.resolvingSymlinksInPath().path
        return path == d || path.hasPrefix(d.hasSuffix("/") ? d : d + "/")
    }

    /// The hook script for these settings, from `hooks/<hook>` (pre-commit uses the pre-push
    /// script's shape).
    static func script(hook: String, stages: [String], failOpen: Bool, binary: String) throws -> String {
        guard let template = Templates.builtIn("hooks/pre-push") else {
            throw HookError(.usage, "the hook template is missing")
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

    /// Installs the hook; returns what was done, in words.
    public func install(hook: String, stages: [String], failOpen: Bool, binary: String, hooksPath: String?) throws
        -> String
    {
        let dir = try hooksDirectory(override: hooksPath)
        let fm = FileManager.default
        if !fm.fileExists(atPath: dir) {
            do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw HookError(.failure, "cannot create the hooks directory \(dir): \(error.localizedDescription)")
            }
        }
        guard access(dir, W_OK) == 0 else {
            throw HookError(.failure, "the hooks directory \(dir) is not writable; nothing was installed")
        }
        let target = dir + "/" + hook
        let previous = target + ".mlci-prev"
        let content = try Self.script(hook: hook, stages: stages, failOpen: failOpen, binary: binary)
        let temp = dir + "/.\(hook).mlci-new-\(getpid())"
        do {
            try Data(content.utf8).write(to: URL(fileURLWithPath: temp))
            chmod(temp, 0o755)
        } catch {
            try? fm.removeItem(atPath: temp)
            throw HookError(.failure, "cannot write in \(dir): \(error.localizedDescription); nothing was installed")
        }
        let existing: String?
        switch Self.existing(target) {
        case .absent: existing = nil
        case .text(let text): existing = text
        case .symlink(let destination):
            try? fm.removeItem(atPath: temp)
            throw HookError(
                .usage,
                "\(target) is a symbolic link (to \(destination)) that mlci did not create; mlci does not replace "
                    + "it. Remove the link or chain it yourself. Nothing was changed")
        case .unreadable(let why):
            try? fm.removeItem(atPath: temp)
            throw HookError(
                .failure,
                "\(target) exists but \(why); mlci cannot keep a hook it cannot read, so it does not replace "
                    + "it. Nothing was changed")
        }
        let isOurs = existing.map { Self.isOwnHook($0, hook: hook) } ?? false
        if existing != nil, !isOurs {
            guard !fm.fileExists(atPath: previous) && !Self.isSymlink(previous) else {
                try? fm.removeItem(atPath: temp)
                throw HookError(
                    .usage,
                    "\(target) is not mlci's, and \(previous) already exists; move one of them away first. Nothing was changed"
                )
            }
            guard rename(target, previous) == 0 else {
                try? fm.removeItem(atPath: temp)
                throw HookError(
                    .failure,
                    "cannot keep your existing hook as \(previous): \(String(cString: strerror(errno))). Nothing was changed"
                )
            }
            guard rename(temp, target) == 0 else {
                let reason = String(cString: strerror(errno))
                _ = rename(previous, target)
                try? fm.removeItem(atPath: temp)
                throw HookError(.failure, "cannot install \(target): \(reason); your hook was left as it was")
            }
            return
                "installed \(target) (runs \(stages.joined(separator: ", "))); your existing hook is kept as \(previous) and runs first"
                + missingStagesNote(stages)
        }
        guard rename(temp, target) == 0 else {
            let reason = String(cString: strerror(errno))
            try? fm.removeItem(atPath: temp)
            throw HookError(.failure, "cannot install \(target): \(reason)")
        }
        return (isOurs ? "updated" : "installed") + " \(target) (runs \(stages.joined(separator: ", ")))"
            + missingStagesNote(stages)
    }

    /// A warning when mlci.yml in the working tree has no stage of these names (a typo, or a
    /// stage renamed since): such a hook stage never runs.
    private func missingStagesNote(_ stages: [String]) -> String {
        guard let root = repo.workdir, let data = FileManager.default.contents(atPath: root + MLCIConfig.fileName),
            let (config, _) = try? ConfigLoader().load(bytes: [UInt8](data))
        else { return "" }
        let missing = Self.missingStages(stages, in: config)
        return missing.isEmpty ? "" : "\nmlci: warning: " + Self.missingStagesMessage(missing, config: config)
    }

    /// Hook stages the config does not define.
    static func missingStages(_ stages: [String], in config: MLCIConfig) -> [String] {
        stages.filter { config.stage(named: $0) == nil }
    }

    static func missingStagesMessage(_ missing: [String], config: MLCIConfig) -> String {
        let names = config.stages.map(\.name)
        let hints = missing.map { "'\($0)'\(DidYouMean.hint(for: $0, among: names))" }.joined(separator: ", ")
        return "mlci.yml has no stage \(hints), so the hook never runs \(missing.count == 1 ? "it" : "them"); "
            + "reinstall with mlci hook install --stages (stages: \(names.joined(separator: ", ")))"
    }

    static func isSymlink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }

    public func uninstall(hook: String, hooksPath: String?) throws -> String {
        let dir = try hooksDirectory(override: hooksPath)
        let target = dir + "/" + hook
        let previous = target + ".mlci-prev"
        switch Self.existing(target) {
        case .absent: return "no \(hook) hook is installed in \(dir)"
        case .text(let text) where Self.isOwnHook(text, hook: hook): break
        case .unreadable(let why):
            throw HookError(.failure, "refusing to remove \(target): \(why), so it cannot be mlci's hook")
        default: throw HookError(.usage, "refusing to remove \(target): it is not mlci's hook")
        }
        try FileManager.default.removeItem(atPath: target)
        if FileManager.default.fileExists(atPath: previous) || Self.isSymlink(previous) {
            guard rename(previous, target) == 0 else {
                throw HookError(
                    .failure,
                    "removed mlci's hook but cannot restore \(previous) to \(target): \(String(cString: strerror(errno)))"
                )
            }
            return "removed mlci's \(hook) hook and restored your previous hook at \(target)"
        }
        return "removed mlci's \(hook) hook from \(dir)"
    }

    public struct Status {
        public let path: String
        public let exists: Bool
        public let isMLCI: Bool
        public let stages: [String]
        public let binary: String?
        public let binaryExists: Bool
        public let failOpen: Bool
        public let previousKept: Bool
        public let hook: String

        /// What `mlci hook status` prints.
        public var text: String {
            var out = "hook:      \(path)\n"
            guard exists else { return out + "installed: no\n" }
            guard isMLCI else { return out + "installed: a hook that is not mlci's\n" }
            out += "installed: yes, mlci's\n"
            out += "stages:    \(stages.joined(separator: ", "))\n"
            let missing =
                "MISSING: pushes are \(failOpen ? "let through" : "blocked"); reinstall with mlci hook install"
            out += "binary:    \(binary ?? "?") (\(binaryExists ? "exists" : missing))\n"
            out += "previous:  \(previousKept ? "kept as \(hook).mlci-prev, runs first" : "none")\n"
            return out
        }
    }

    public func status(hook: String, hooksPath: String?) throws -> Status {
        let dir = try hooksDirectory(override: hooksPath)
        let target = dir + "/" + hook
        let found = Self.existing(target)
        let text: String?
        if case .text(let t) = found { text = t } else { text = nil }
        func field(_ name: String) -> String? {
            text?.split(separator: "\n").first { $0.hasPrefix("# \(name): ") }.map {
                String($0.dropFirst(name.count + 4))
            }
        }
        let binary = field("mlci-binary")
        return Status(
            path: target,
            exists: {
                if case .absent = found { return false }; return true
            }(),
            isMLCI: text.map { Self.isOwnHook($0, hook: hook) } ?? false,
            stages: field("mlci-stages")?.split(separator: ",").map(String.init) ?? [],
            binary: binary, binaryExists: binary.map { FileManager.default.isExecutableFile(atPath: $0) } ?? false,
            failOpen: field("mlci-fail-open") == "true",
            previousKept: FileManager.default.fileExists(atPath: target + ".mlci-prev"), hook: hook)
    }
}
