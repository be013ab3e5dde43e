import Foundation
import MLCIGit

/// Installs, removes and describes mlci's git hooks without ever losing a user's own hook:
/// an existing hook is kept as `<hook>.mlci-prev` and run first, and uninstalling puts it back
/// byte for byte. mlci never sets or unsets `core.hooksPath`.
public struct HookInstaller {
    public static let supported = ["pre-push", "pre-commit"]
    let repo: Repository

    public init(repo: Repository) { self.repo = repo }

    /// Installs the hook; returns what was done, in words.
    public func install(hook: String, stages: [String], failOpen: Bool, binary: String, hooksPath: String?) throws
        -> String
    {
        let dir = try hooksDirectory(override: hooksPath)
        let fm = FileManager.default
        if !fm.fileExists(atPath: dir) {
            do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw HookError.cannotCreateHooksDirectory(dir: dir, reason: error.localizedDescription)
            }
        }
        guard access(dir, W_OK) == 0 else {
            throw HookError.hooksDirectoryNotWritable(dir: dir)
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
            throw HookError.cannotWriteIn(dir: dir, reason: error.localizedDescription)
        }
        let existing: String?
        switch Self.existing(target) {
        case .absent: existing = nil
        case .text(let text): existing = text
        case .symlink(let destination):
            try? fm.removeItem(atPath: temp)
            throw HookError.foreignSymlink(target: target, destination: destination)
        case .unreadable(let why):
            try? fm.removeItem(atPath: temp)
            throw HookError.unreadableHook(target: target, reason: why)
        }
        let isOurs = existing.map { Self.isOwnHook($0, hook: hook) } ?? false
        if existing != nil, !isOurs {
            guard !fm.fileExists(atPath: previous) && !Self.isSymlink(previous) else {
                try? fm.removeItem(atPath: temp)
                throw HookError.previousHookExists(target: target, previous: previous)
            }
            guard rename(target, previous) == 0 else {
                try? fm.removeItem(atPath: temp)
                throw HookError.cannotKeepPrevious(previous: previous, reason: String(cString: strerror(errno)))
            }
            guard rename(temp, target) == 0 else {
                let reason = String(cString: strerror(errno))
                _ = rename(previous, target)
                try? fm.removeItem(atPath: temp)
                throw HookError.cannotInstall(target: target, reason: reason, restored: true)
            }
            return
                "installed \(target) (runs \(stages.joined(separator: ", "))); your existing hook is kept as \(previous) and runs first"
                + missingStagesNote(stages)
        }
        guard rename(temp, target) == 0 else {
            let reason = String(cString: strerror(errno))
            try? fm.removeItem(atPath: temp)
            throw HookError.cannotInstall(target: target, reason: reason, restored: false)
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

    public func uninstall(hook: String, hooksPath: String?) throws -> String {
        let dir = try hooksDirectory(override: hooksPath)
        let target = dir + "/" + hook
        let previous = target + ".mlci-prev"
        switch Self.existing(target) {
        case .absent: return "no \(hook) hook is installed in \(dir)"
        case .text(let text) where Self.isOwnHook(text, hook: hook): break
        case .unreadable(let why):
            throw HookError.notRemovingUnreadable(target: target, reason: why)
        default: throw HookError.notRemovingForeign(target: target)
        }
        try FileManager.default.removeItem(atPath: target)
        if FileManager.default.fileExists(atPath: previous) || Self.isSymlink(previous) {
            guard rename(previous, target) == 0 else {
                throw HookError.cannotRestorePrevious(
                    previous: previous, target: target, reason: String(cString: strerror(errno)))
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
