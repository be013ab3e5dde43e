import Foundation

/// Decides which DVC stages a change invalidates, from the dvc.yaml of both sides.
public enum DVCInvalidation {
    /// `+added -removed` between two lists taken as sets; nil when they hold the same entries.
    static func listChange(_ old: [String], _ new: [String]) -> String? {
        let added = Set(new).subtracting(old).sorted(), removed = Set(old).subtracting(new).sorted()
        guard !added.isEmpty || !removed.isEmpty else { return nil }
        return (added.map { "+" + $0 } + removed.map { "-" + $0 }).joined(separator: " ")
    }

    /// `file:key` for each tracked key, `file` alone for a file tracked whole.
    static func trackedParams(_ stage: DVCStage) -> [String] {
        stage.params.flatMap { file, keys in keys.map { $0.map { "\(file):\($0)" } } ?? [file] }
    }

    /// `modifiedOuts`: per stage, its git-kept outs whose committed content differs from its lock
    /// entry at head (DVC's "changed outs: modified").
    public static func evaluate(
        base: [DVCStage], head: [DVCStage], changedPaths: Set<String>, modifiedOuts: [String: [String]] = [:],
        paramValue: (_ file: String, _ key: String?, _ head: Bool) -> JSONValue?
    ) -> [(String, [DVCReason])] {
        let before = Dictionary(base.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var reasons: [String: [DVCReason]] = [:]
        // A dep directory changed when a path under it did: one binary search in the changed
        // paths sorted by their bytes (a scan per dep was quadratic: 120,000 deps over 20,000
        // changed lock outs took minutes). The first such path in that order is named.
        let sortedChanged = changedPaths.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        func changed(_ dep: String) -> String? {
            if changedPaths.contains(dep) { return dep }
            let prefix = Array((dep + "/").utf8)
            var low = 0, high = sortedChanged.count
            while low < high {
                let middle = (low + high) / 2
                if sortedChanged[middle].lexicographicallyPrecedes(prefix) { low = middle + 1 } else { high = middle }
            }
            guard low < sortedChanged.count, sortedChanged[low].starts(with: prefix) else { return nil }
            return String(decoding: sortedChanged[low], as: UTF8.self)
        }
        for stage in head {
            var r: [DVCReason] = []
            guard let old = before[stage.name] else {
                reasons[stage.name] = [DVCReason(type: "new", detail: "new stage")]
                continue
            }
            if stage.alwaysChanged { r.append(DVCReason(type: "always_changed", detail: "always_changed")) }
            if old.cmd != stage.cmd {
                r.append(
                    DVCReason(
                        type: "cmd", detail: "cmd changed: \(old.cmd) → \(stage.cmd)",
                        fields: [("old", .string(old.cmd)), ("new", .string(stage.cmd))]))
            }
            if !stage.frozen {
                // The stage's own lists: `dvc repro` reruns a stage whose deps, outs or tracked
                // params differ from what its lock recorded, even with nothing else changed.
                if old.frozen { r.append(DVCReason(type: "unfrozen", detail: "no longer frozen")) }
                for (type, before, after) in [
                    ("deps", old.deps, stage.deps), ("outs", old.outs, stage.outs),
                    ("tracked_params", trackedParams(old), trackedParams(stage)),
                ] {
                    guard let change = listChange(before, after) else { continue }
                    let added = Set(after).subtracting(before).sorted(),
                        removed = Set(before).subtracting(after).sorted()
                    r.append(
                        DVCReason(
                            type: type, detail: "\(type.replacingOccurrences(of: "_", with: " ")) changed: \(change)",
                            fields: [
                                ("added", .array(added.map { .string($0) })),
                                ("removed", .array(removed.map { .string($0) })),
                            ]))
                }
                for out in modifiedOuts[stage.name] ?? [] {
                    r.append(
                        DVCReason(
                            type: "out",
                            detail: "out \(out) modified: its committed content is not what dvc.lock records",
                            fields: [("path", .string(out))]))
                }
                for dep in stage.deps {
                    if let path = changed(dep) {
                        r.append(
                            DVCReason(
                                type: "dep", detail: "dep \(dep) changed (\(path))",
                                fields: [("path", .string(dep)), ("changed", .string(path))]))
                    }
                }
                for (file, keys) in stage.params {
                    let tracked: [String?] = keys.map { $0.map(Optional.some) } ?? [nil]
                    for k in tracked {
                        let a = paramValue(file, k, false), b = paramValue(file, k, true)
                        let same: Bool = {
                            if let a, let b { return a.sameValue(as: b) }; return a == nil && b == nil
                        }()
                        if !same {
                            r.append(
                                DVCReason(
                                    type: "params",
                                    detail:
                                        "\(file): \(k ?? "(any key)") \(a?.display ?? "(absent)") → \(b?.display ?? "(absent)")",
                                    fields: [
                                        ("file", .string(file)), ("key", k.map { .string($0) } ?? .null),
                                        ("old", a ?? .null), ("new", b ?? .null),
                                    ]))
                        }
                    }
                }
            }
            reasons[stage.name] = r
        }
        propagate(head, &reasons)
        return head.map { ($0.name, reasons[$0.name] ?? []) }
    }

    /// Adds an `upstream` reason to each unfrozen stage for each invalidated, unfrozen stage whose
    /// outs it reads (an out equal to a dep, inside it, or holding it), transitively — one walk
    /// over an index of outs, not a pass over all stage pairs per level.
    static func propagate(_ head: [DVCStage], _ reasons: inout [String: [DVCReason]]) {
        // Producers of each out, and of each directory above an out (for a dep that holds outs).
        var producers: [String: [Int]] = [:], within: [String: [Int]] = [:]
        for (i, stage) in head.enumerated() where !stage.frozen {
            for out in Set(stage.outs) {
                producers[out, default: []].append(i)
                var dir = Substring(out)
                while let slash = dir.lastIndex(of: "/") {
                    dir = dir[..<slash]
                    within[String(dir), default: []].append(i)
                }
            }
        }
        // Stages feeding each stage, in the order of the file.
        var feeders: [[Int]] = Array(repeating: [], count: head.count)
        var consumers: [[Int]] = Array(repeating: [], count: head.count)
        for (j, stage) in head.enumerated() where !stage.frozen {
            var from = Set<Int>()
            for dep in stage.deps {
                from.formUnion(producers[dep] ?? [])
                from.formUnion(within[dep] ?? [])
                var dir = Substring(dep)
                while let slash = dir.lastIndex(of: "/") {
                    dir = dir[..<slash]
                    from.formUnion(producers[String(dir)] ?? [])
                }
            }
            from.remove(j)
            feeders[j] = from.sorted()
            for i in feeders[j] { consumers[i].append(j) }
        }
        var invalid = head.map { !$0.frozen && !(reasons[$0.name] ?? []).isEmpty }
        var queue = invalid.indices.filter { invalid[$0] }
        while let i = queue.popLast() {
            for j in consumers[i] where !invalid[j] {
                invalid[j] = true
                queue.append(j)
            }
        }
        for (j, stage) in head.enumerated() {
            for i in feeders[j] where invalid[i] && head[i].name != stage.name {
                reasons[stage.name, default: []].append(
                    DVCReason(type: "upstream", detail: head[i].name, fields: [("stage", .string(head[i].name))]))
            }
        }
    }
}
