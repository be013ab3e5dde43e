/// Where DVC keeps things in a repository, said once: the `dvc.lock` beside each `dvc.yaml`,
/// and a stage's address (`name` in the top-level `dvc.yaml`, `dir/dvc.yaml:name` elsewhere,
/// as `dvc stage list --all` prints it and `dvc repro` accepts it).
enum DVCProject {
    /// The lock file of a pipeline file (`dvc.yaml` → `dvc.lock`, `a/dvc.yaml` → `a/dvc.lock`).
    static func lockPath(forPipeline file: String) -> String {
        sibling(of: file, named: "dvc.lock")
    }

    /// The pipeline file a lock belongs to.
    static func pipelinePath(forLock lock: String) -> String {
        sibling(of: lock, named: "dvc.yaml")
    }

    /// DVC's address of stage `name` of pipeline file `file`.
    static func address(_ name: String, inPipeline file: String) -> String {
        file == "dvc.yaml" ? name : "\(file):\(name)"
    }

    private static func sibling(of path: String, named name: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return name }
        return DVCPipelineReader.normalize(String(path[..<slash]) + "/" + name)
    }
}
