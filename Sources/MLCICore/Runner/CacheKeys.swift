import Foundation
import MLCIGit

/// Computes cache keys from the files at head (or in the working tree) and the environment.
public struct CacheKeys {
    let config: MLCIConfig
    let footprint: StageFootprint
    /// Every tracked file, matched once (in bulk: a repository can hold hundreds of thousands).
    let files: [ChangedFile]
    let rows: StageFootprint.Rows
    let environment: [String: String]

    /// `trackedFiles`: every file of the plan's head side, which is what the stages run on.
    public init(plan: Plan, trackedFiles: [ChangedFile], environment: [String: String]) {
        config = plan.config
        footprint = plan.footprint
        files = trackedFiles
        rows = footprint.rows(trackedFiles.map(\.pathBytes))
        self.environment = environment
    }

    public static var platform: String {
        #if os(Linux)
            let os = "linux"
        #else
            let os = "darwin"
        #endif
        #if arch(x86_64)
            let arch = "x86_64"
        #elseif arch(arm64)
            let arch = "arm64"
        #else
            let arch = "other"
        #endif
        return "\(os)-\(arch) mlci \(MLCIVersion.current)"
    }

    /// An `env_inputs` value as it is recorded: HMAC-SHA256 of `name=value`, keyed with
    /// `MLCI_CACHE_SIGNATURE_KEY` when it is set (then a reader of the cache cannot even confirm
    /// a guess), else with a fixed key (a digest: the value is not written down, but a guess of a
    /// low-entropy value can be confirmed — `env_inputs` must never name a secret). Empty stays
    /// empty, so --explain-cache can still tell empty from set.
    static func envInputHash(name: String, value: String, environment: [String: String]) -> String {
        if value.isEmpty { return "" }
        let key = CacheStore.signatureKey(environment) ?? Array("mlci env_inputs".utf8)
        return "hmac-sha256:" + SHA256.hex(SHA256.hmac(key: key, message: Array("\(name)=\(value)".utf8)))
    }

    /// Parts of every stage's key, computed in dependency order so upstream keys are known.
    public func parts() -> [String: CacheKeyParts] {
        var result: [String: CacheKeyParts] = [:]
        for stage in StageGraph.order(config.stages) {
            let watched = files.indices.filter { footprint.reads(stage, rows, $0) }.map { files[$0] }
            var definition: [(String, JSONValue)] = [("run", .string(stage.run))]
            if let dir = stage.local.dir { definition.append(("dir", .string(dir))) }
            definition.append(("env", .array(stage.local.env.map { .array([.string($0.0), .string($0.1)]) })))
            definition.append(
                ("params", .array(stage.params.map { .array([.string($0.file)] + $0.keys.map(JSONValue.string)) })))
            definition.append(("inputs", .array(stage.local.inputs.map { .string($0.source) })))
            definition.append(("outputs", .array(stage.local.outputs.map(JSONValue.string))))
            result[stage.name] = CacheKeyParts(
                definition: JSONValue.object(definition).serialized(pretty: false),
                files: watched.map { ($0.path, $0.newID?.hex ?? "") },
                envInputs: stage.local.envInputs.map { name in
                    (name, environment[name].map { Self.envInputHash(name: name, value: $0, environment: environment) })
                },
                upstream: stage.needs.compactMap { up in result[up].map { (up, $0.key) } },
                platform: Self.platform)
        }
        return result
    }
}
