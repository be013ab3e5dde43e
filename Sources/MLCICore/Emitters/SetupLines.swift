/// The lines every generated job runs first to put mlci on PATH — one place for every
/// platform: `ci.setup` when mlci.yml sets it, else `templates/setup.sh` filled in with the
/// job-private install directory the platform names and the pinned wheels, then the
/// platform's own way of putting that directory on PATH for the job's later steps.
public enum SetupLines {
    /// Where a platform's jobs install mlci, and how they put it on PATH.
    public struct Target: Sendable {
        /// The install directory: outside the checkout, private to one job, and removed first,
        /// so nothing a pull request's stage wrote on a self-hosted runner (a replaced binary, a
        /// planted venv) is used by a later job. An unset variable should stop the line (`:?`)
        /// instead of installing under `/`.
        public let home: String
        /// The shell line after the set-up that puts `home/bin` on PATH for later steps (nil:
        /// the platform does it another way).
        public let pathLine: String?

        public init(home: String, pathLine: String?) {
            self.home = home
            self.pathLine = pathLine
        }
    }

    static let unpinnedMessage =
        "the default set-up installs mlci \(MLCIVersion.current) pinned by the SHA-256 of its wheels, and this mlci "
        + "knows none for its version (it is not a published release): set ci.install.sha256 in mlci.yml to the "
        + "hashes in the release's SHA256SUMS, or ci.setup to lines that put mlci on PATH, and generate again"

    /// The set-up of a job whose mlci cannot be pinned: it fails, saying why.
    static let unpinnedLine =
        "echo 'mlci: no pinned install of mlci \(MLCIVersion.current): set ci.install.sha256 or ci.setup in mlci.yml "
        + "and run mlci generate again' >&2; exit 1"

    /// The warning `generate` prints when some job of `config` gets `unpinnedLine`.
    public static func unpinnedWarning(_ config: MLCIConfig) -> Diagnostic? {
        let settings = [config.ci] + config.stages.map { config.ci.overridden(by: $0.ci) }
        let unpinned = settings.contains {
            $0.setup == nil && ($0.install?.sha256 ?? ReleaseHashes.sha256(for: MLCIVersion.current)).isEmpty
        }
        return unpinned ? Diagnostic(.warning, "generated jobs will stop at set-up: " + unpinnedMessage, at: nil) : nil
    }

    public static func lines(_ settings: CISettings, _ target: Target, _ templates: Templates) throws -> [String] {
        if let setup = settings.setup { return setup }
        let hashes = settings.install?.sha256 ?? ReleaseHashes.sha256(for: MLCIVersion.current)
        // Fail closed: with nothing to pin, the job stops at set-up instead of installing
        // whatever an index offers under the name (`generate` warns, see `unpinnedWarning`).
        guard !hashes.isEmpty else { return [Self.unpinnedLine] }
        let home = target.home
        let requirements = "\"\(home)/requirements.txt\""
        // One `--hash` per line of requirements.txt (continued with `\`), so no line of the
        // generated files grows with the number of wheels.
        let hashLines = hashes.enumerated().map { i, hash in
            "printf '%s\\n' '    --hash=sha256:\(hash)\(i == hashes.count - 1 ? "" : " \\")' >> \(requirements)"
        }
        var lines = try templates.lines(
            "setup.sh",
            substituting: [
                "@MLCI_HOME@": home, "@MLCI_HASH_LINES@": hashLines.joined(separator: "\n"),
                "@MLCI_INDEX_URL@": settings.install?.indexURL ?? InstallSettings.defaultIndexURL,
            ])
        if let pathLine = target.pathLine { lines.append(pathLine) }
        return lines
    }
}
