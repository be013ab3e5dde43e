import Foundation
import MLCIGit

extension MLCIConfig {
    /// Reads and checks the configuration of a side (the head's unless `role` says otherwise),
    /// or the file `--config` names, with the request's CI platforms.
    public static func read(
        file configFile: String? = nil, side: Snapshot, repo: Repository, role: String = "head",
        platforms: [any CIPlatform] = CIPlatforms.builtIn
    ) throws -> (MLCIConfig, [Diagnostic]) {
        let text: [UInt8]
        let fileName: String
        if let path = configFile {
            guard let data = Snapshot.readBounded(path) else {
                let reason =
                    access(path, F_OK) != 0 ? "no such file" : "not readable (\(String(cString: strerror(errno))))"
                throw PlanError(.usage, "cannot read the config file \(path): \(reason)")
            }
            guard data.count <= Snapshot.parsedFileLimit else {
                throw PlanError(.usage, "the config file \(path) is larger than \(Snapshot.parsedFileLimit >> 20) MiB")
            }
            text = [UInt8](data)
            fileName = path
        } else {
            guard let found = try side.read(MLCIConfig.fileName, in: repo) else {
                throw PlanError(
                    .usage,
                    "no \(MLCIConfig.fileName) in \(side.describe(role)); "
                        + "create one at the repository root (mlci init writes a starting point) or pass --config FILE")
            }
            text = found
            fileName = MLCIConfig.fileName
        }
        var rootNames: Set<String> = []
        switch side {
        case .worktree(let root): rootNames = Set((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
        case .commit(let id): rootNames = try repo.rootNames(of: id)
        case .tree(let id): rootNames = try repo.rootNames(ofTree: id)
        case .empty: break
        }
        return try ConfigLoader(rootNames: rootNames, platforms: platforms).load(bytes: text, file: fileName)
    }
}
