/// The lines every generated job runs first to put mlci on PATH — one place for all three
/// platforms: `ci.setup` when mlci.yml sets it, else `templates/setup.sh` filled in with the
/// job-private install directory of the platform and the pinned wheels, then the platform's
/// way of putting that directory on PATH for the job's later steps.
enum SetupLines {
    enum Platform { case github, gitlab, jenkins }

    /// Where the default set-up installs mlci: outside the checkout, private to one job, and
    /// removed first, so nothing a pull request's stage wrote on a self-hosted runner (a
    /// replaced binary, a planted venv) is used by a later job. An unset variable stops the
    /// line (`:?`) instead of installing under `/`.
    static func home(_ platform: Platform) -> String {
        switch platform {
        case .github: "${RUNNER_TEMP:?}/mlci"
        case .gitlab: "${TMPDIR:-/tmp}/mlci-job-${CI_JOB_ID:?}"
        case .jenkins: "${WORKSPACE:?}@tmp/mlci"
        }
    }

    /// Jenkins runs each `sh` step in its own shell: its stages put the install directory on
    /// PATH with `withEnv` (Groovy interpolation of `env.WORKSPACE`), before a user's
    /// `~/.mlci/venv/bin` for set-up lines of their own.
    static let jenkinsPath = "\"PATH+MLCI=${env.WORKSPACE}@tmp/mlci/bin:${env.HOME}/.mlci/venv/bin\""

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

    static func lines(_ settings: CISettings, _ platform: Platform, _ templates: Templates) throws -> [String] {
        if let setup = settings.setup { return setup }
        let hashes = settings.install?.sha256 ?? ReleaseHashes.sha256(for: MLCIVersion.current)
        // Fail closed: with nothing to pin, the job stops at set-up instead of installing
        // whatever an index offers under the name (`generate` warns, see `unpinnedWarning`).
        guard !hashes.isEmpty else { return [Self.unpinnedLine] }
        let home = home(platform)
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
        switch platform {
        case .github: lines.append("echo \"$RUNNER_TEMP/mlci/bin\" >> \"$GITHUB_PATH\"")
        case .gitlab: lines.append("export PATH=\"\(home)/bin:$PATH\"")
        case .jenkins: break
        }
        return lines
    }
}
