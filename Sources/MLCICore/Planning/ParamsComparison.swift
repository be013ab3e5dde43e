import MLCIGit

/// Params keys whose parsed value differs between base and head. Files that did not change
/// between the two sides are not read at all.
struct ParamsComparison {
    let repo: Repository
    let base: Snapshot
    let head: Snapshot
    /// The watched params files that changed.
    let changedFiles: Set<String>

    func reasons(_ stage: Stage) throws -> [Reason] {
        var reasons: [Reason] = []
        for watch in stage.params where changedFiles.contains(watch.file) {
            guard let format = ParamsFormat(path: watch.file) else { continue }
            let old = try parse(watch.file, format: format, side: base, role: "base")
            let new = try parse(watch.file, format: format, side: head, role: "head")
            for key in watch.keys {
                let a = old?.value(key), b = new?.value(key)
                let same: Bool
                switch (a, b) {
                case (nil, nil): same = true
                case (let x?, let y?): same = x.sameValue(as: y)
                default: same = false
                }
                if !same { reasons.append(.params(file: watch.file, key: key, old: a, new: b)) }
            }
        }
        return reasons
    }

    /// A params file that does not parse is a configuration error (exit 2), except a Python
    /// file mlci does not read key by key: that one is compared as a whole.
    private func parse(_ file: String, format: ParamsFormat, side: Snapshot, role: String) throws -> ParamsContent? {
        guard let bytes = try side.read(file, in: repo) else { return nil }
        if format == .python { return ParamsContent.read(bytes, path: file) }
        do {
            return .values(try ParamsFile.parse(bytes, format: format))
        } catch {
            throw PlanError.params(file: file, line: error.line, side: side.describe(role), message: error.message)
        }
    }
}
