import Foundation
import MLCIGit

/// What a stage's cache key is made of. Each part is kept, so `--explain-cache` can say which
/// one changed since the stage last passed.
public struct CacheKeyParts: Sendable, Equatable {
    /// The stage's definition: run, dir, env, params, inputs, outputs.
    public var definition: String
    /// Every tracked file the stage reads (its footprint: `on`, `inputs`, params files, and the
    /// DVC files, deps and outs of a `dvc:` stage), with its blob id at head, or its content
    /// hash in the working tree with `--worktree`. Sorted by path.
    public var files: [(path: String, id: String)]
    /// `env_inputs` values as keyed hashes (`CacheKeys.envInputHash`), never the values: records
    /// and `last.json` are files others may read. Nil when the variable is unset, "" when empty.
    public var envInputs: [(name: String, value: String?)]
    /// The keys of the stages this one needs.
    public var upstream: [(stage: String, key: String)]
    /// OS, architecture and mlci version.
    public var platform: String

    public static func == (l: CacheKeyParts, r: CacheKeyParts) -> Bool { l.serialized() == r.serialized() }

    /// The key: a git blob hash of the parts' canonical serialization.
    public var key: String { ObjectID.hashing(serialized()).hex }

    func serialized() -> [UInt8] { json.bytes(pretty: false) }

    var json: JSONValue {
        .object([
            ("definition", .string(definition)),
            ("files", .array(files.map { .array([.string($0.path), .string($0.id)]) })),
            (
                "env_inputs",
                .array(envInputs.map { .array([.string($0.name), $0.value.map(JSONValue.string) ?? .null]) })
            ),
            ("upstream", .array(upstream.map { .array([.string($0.stage), .string($0.key)]) })),
            ("platform", .string(platform)),
        ])
    }

    init(
        definition: String, files: [(path: String, id: String)], envInputs: [(name: String, value: String?)],
        upstream: [(stage: String, key: String)], platform: String
    ) {
        self.definition = definition
        self.files = files
        self.envInputs = envInputs
        self.upstream = upstream
        self.platform = platform
    }

    init?(json: JSONValue) {
        guard case .string(let d)? = json.lookup("definition"), case .array(let f)? = json.lookup("files"),
            case .array(let e)? = json.lookup("env_inputs"), case .array(let u)? = json.lookup("upstream"),
            case .string(let p)? = json.lookup("platform")
        else { return nil }
        definition = d
        platform = p
        files = f.compactMap {
            if case .array(let pair) = $0, pair.count == 2, case .string(let a) = pair[0], case .string(let b) = pair[1]
            {
                return (a, b)
            }; return nil
        }
        envInputs = e.compactMap {
            if case .array(let pair) = $0, pair.count == 2, case .string(let a) = pair[0] {
                if case .string(let b) = pair[1] { return (a, b) }; return (a, nil)
            }; return nil
        }
        upstream = u.compactMap {
            if case .array(let pair) = $0, pair.count == 2, case .string(let a) = pair[0], case .string(let b) = pair[1]
            {
                return (a, b)
            }; return nil
        }
    }

    /// What differs from an earlier recording, in words.
    public func differences(from old: CacheKeyParts) -> [String] {
        var out: [String] = []
        if definition != old.definition {
            out.append(
                "the stage's definition changed (run, dir, env, params, inputs, outputs, its shard, "
                    + "or a file list its command reads)")
        }
        let before = Dictionary(old.files.map { ($0.path, $0.id) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(files.map { ($0.path, $0.id) }, uniquingKeysWith: { a, _ in a })
        let changed = after.filter { before[$0.key] != nil && before[$0.key] != $0.value }.keys.sorted()
        let added = after.keys.filter { before[$0] == nil }.sorted()
        let removed = before.keys.filter { after[$0] == nil }.sorted()
        for (label, paths) in [("changed", changed), ("added", added), ("removed", removed)] where !paths.isEmpty {
            let shown = paths.prefix(10).joined(separator: ", ")
            out.append("input files \(label): \(shown)" + (paths.count > 10 ? " and \(paths.count - 10) more" : ""))
        }
        let oldEnv = Dictionary(old.envInputs.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        for (name, value) in envInputs where oldEnv[name].map({ $0 != value }) ?? true {
            out.append("env_inputs \(name) changed (\(describe(oldEnv[name] ?? nil)) → \(describe(value)))")
        }
        let oldUp = Dictionary(old.upstream.map { ($0.stage, $0.key) }, uniquingKeysWith: { a, _ in a })
        for (stage, key) in upstream where oldUp[stage] != key {
            out.append("the key of needed stage \(stage) changed")
        }
        if platform != old.platform { out.append("platform changed (\(old.platform) → \(platform))") }
        return out
    }

    private func describe(_ value: String?) -> String {
        guard let value else { return "unset" }
        return value.isEmpty ? "empty" : "set"
    }
}
