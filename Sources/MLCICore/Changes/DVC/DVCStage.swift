/// A stage of a DVC pipeline after `foreach`/`matrix` expansion and `${…}` interpolation, with
/// paths relative to the repository root.
public struct DVCStage: Sendable {
    /// DVC's address of the stage: `name` in the top-level `dvc.yaml`, `dir/dvc.yaml:name`
    /// elsewhere (what `dvc stage list --all` prints and `dvc repro` accepts).
    public let name: String
    public let file: String
    public let cmd: String
    public let deps: [String]
    public let outs: [String]
    /// Outs kept in git (`cache: false`, as metrics and plots often are): DVC compares their
    /// committed content with the lock.
    public let gitOuts: [String]
    /// Params files and their tracked keys; nil keys: every key of the file.
    public let params: [(file: String, keys: [String]?)]
    public let frozen: Bool
    public let alwaysChanged: Bool
}
