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
                throw PlanError.configFileUnreadable(path: path, reason: reason)
            }
            guard data.count <= Snapshot.parsedFileLimit else {
                throw PlanError.configFileTooLarge(path: path, limit: Snapshot.parsedFileLimit)
            }
            text = [UInt8](data)
            fileName = path
        } else {
            guard let found = try side.read(MLCIConfig.fileName, in: repo) else {
                throw PlanError.noConfig(side: side.describe(role))
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
