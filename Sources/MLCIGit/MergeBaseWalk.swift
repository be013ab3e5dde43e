import CLibgit2
import Foundation

/// git's merge-base algorithm (`paint_down_to_common` and `remove_redundant`), walking the
/// commit-graph where it holds the commits and libgit2's commit objects where it does not
/// (a graph written before the newest commits). Returns exactly what `git merge-base --all`
/// returns, in git's order (newest commit date first).
///
/// A commit is an integer: its position in the graph, or `graphCount + k` for the k-th commit
/// read from its object. Per-commit state lives in flat arrays, so the walk allocates nothing
/// per commit on the graph path.
struct MergeBaseWalk {
    private let repo: Repository
    private let graph: CommitGraph?
    private let graphCount: Int

    private var flags: [UInt8]
    private var touched: [Int] = []
    private var extras: [(id: ObjectID, date: Int64, parents: [Int]?)] = []
    private var extraByID: [ObjectID: Int] = [:]

    private static let parent1: UInt8 = 1, parent2: UInt8 = 2, stale: UInt8 = 4, result: UInt8 = 8

    init(repo: Repository, graph: CommitGraph?) {
        self.repo = repo
        self.graph = graph
        graphCount = graph?.count ?? 0
        flags = [UInt8](repeating: 0, count: graphCount)
    }

    private mutating func node(_ id: ObjectID) throws -> Int {
        if let graph, let p = graph.position(of: id) { return p }
        if let n = extraByID[id] { return n }
        let handle = try repo.lookupCommit(id, what: "commit")
        extras.append((id, Int64(git_commit_time(handle.pointer)), nil))
        flags.append(0)
        extraByID[id] = graphCount + extras.count - 1
        return graphCount + extras.count - 1
    }

    private func id(_ n: Int) -> ObjectID {
        n < graphCount ? graph!.id(at: n) : extras[n - graphCount].id
    }

    /// Generation (UInt32.max for commits outside the graph, as git's INFINITY) and date.
    @inline(__always)
    private func order(_ n: Int) -> (UInt32, Int64) {
        if n < graphCount {
            let (g, d) = graph!.generationAndDate(at: n)
            return (g == 0 ? UInt32.max - 1 : g, d)
        }
        return (UInt32.max, extras[n - graphCount].date)
    }

    private mutating func forEachParent(_ n: Int, _ body: (Int) -> Void) throws {
        if n < graphCount { try graph!.forEachParent(of: n, body); return }
        let k = n - graphCount
        if extras[k].parents == nil {
            var list: [Int] = []
            // A shallow clone's boundary commits have no parents, as git sees them.
            if !repo.shallowCommits.contains(extras[k].id) {
                for parent in try repo.commit(extras[k].id).parents { list.append(try node(parent)) }
            }
            extras[k].parents = list
        }
        for p in extras[k].parents! { body(p) }
    }

    private mutating func mark(_ n: Int, _ f: UInt8) {
        if flags[n] == 0 { touched.append(n) }
        flags[n] |= f
    }

    private mutating func clearMarks() {
        for n in touched { flags[n] = 0 }
        touched.removeAll(keepingCapacity: true)
    }

    mutating func mergeBases(_ one: ObjectID, _ two: ObjectID) throws -> [ObjectID] {
        let a = try node(one), b = try node(two)
        if a == b { return [one] }
        var candidates = try paintDownToCommon(a, [b]).filter { flags[$0] & Self.stale == 0 }
        clearMarks()
        candidates = try removeRedundant(candidates)
        // commit_list_insert_by_date: newest first, equal dates keep their order.
        let sorted = candidates.enumerated().sorted { l, r in
            let dl = order(l.element).1, dr = order(r.element).1
            return dl != dr ? dl > dr : l.offset < r.offset
        }
        return sorted.map { id($0.element) }
    }

    /// A max-heap in the order of git's `compare_commits_by_gen_then_commit_date`.
    private struct Queue {
        var items: [(n: Int, gen: UInt32, date: Int64)] = []
        var nonStale = 0

        @inline(__always) static func before(
            _ x: (n: Int, gen: UInt32, date: Int64), _ y: (n: Int, gen: UInt32, date: Int64)
        ) -> Bool {
            x.gen != y.gen ? x.gen > y.gen : x.date > y.date
        }

        mutating func push(_ item: (n: Int, gen: UInt32, date: Int64)) {
            items.append(item)
            var i = items.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard Self.before(items[i], items[parent]) else { break }
                items.swapAt(i, parent); i = parent
            }
        }

        mutating func pop() -> Int {
            let top = items[0].n
            items[0] = items[items.count - 1]
            items.removeLast()
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var best = i
                if l < items.count && Self.before(items[l], items[best]) { best = l }
                if r < items.count && Self.before(items[r], items[best]) { best = r }
                if best == i { break }
                items.swapAt(i, best); i = best
            }
            return top
        }
    }

    private mutating func paintDownToCommon(_ one: Int, _ twos: [Int]) throws -> [Int] {
        var queue = Queue()
        func entry(_ n: Int) -> (n: Int, gen: UInt32, date: Int64) { let (g, d) = order(n); return (n, g, d) }
        mark(one, Self.parent1)
        queue.push(entry(one))
        for t in twos { mark(t, Self.parent2); queue.push(entry(t)) }
        var result: [Int] = []
        // git's queue_has_nonstale: a linear scan; the queue is as wide as the history, not as long.
        while queue.items.contains(where: { flags[$0.n] & Self.stale == 0 }) {
            let commit = queue.pop()
            var f = flags[commit] & (Self.parent1 | Self.parent2 | Self.stale)
            if f == Self.parent1 | Self.parent2 {
                if flags[commit] & Self.result == 0 {
                    mark(commit, Self.result)
                    result.append(commit)
                }
                f |= Self.stale
            }
            var parents: [Int] = []
            try forEachParent(commit) { parents.append($0) }
            for p in parents {
                if flags[p] & f == f { continue }
                mark(p, f)
                queue.push(entry(p))
            }
        }
        return result
    }

    /// Drops candidates that are ancestors of other candidates (git's `remove_redundant`).
    private mutating func removeRedundant(_ candidates: [Int]) throws -> [Int] {
        guard candidates.count > 1 else { return candidates }
        var redundant = Set<Int>()
        for (i, c) in candidates.enumerated() where !redundant.contains(c) {
            let others = candidates.enumerated().filter { $0.offset != i && !redundant.contains($0.element) }.map(
                \.element)
            guard !others.isEmpty else { continue }
            _ = try paintDownToCommon(c, others)
            if flags[c] & Self.parent2 != 0 { redundant.insert(c) }
            for o in others where flags[o] & Self.parent1 != 0 { redundant.insert(o) }
            clearMarks()
        }
        return candidates.filter { !redundant.contains($0) }
    }
}

extension Repository {
    /// The boundary commits of a shallow clone (`$GIT_DIR/shallow`): git treats them as having
    /// no parents, so merge-bases within the fetched history are found as git finds them.
    var shallowCommits: Set<ObjectID> {
        if let cached = shallowCache { return cached }
        var ids = Set<ObjectID>()
        if let data = FileManager.default.contents(atPath: commonDir + "shallow") {
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                if let id = ObjectID(hex: String(line)) { ids.insert(id) }
            }
        }
        shallowCache = ids
        return ids
    }

    /// The commit-graph of this repository, read once (none in a shallow clone: its parents
    /// would reach past the boundary, and git does not use it there either).
    var commitGraph: CommitGraph? {
        if let cached = commitGraphCache { return cached.graph }
        if isShallow {
            commitGraphCache = CommitGraphBox(graph: nil)
            return nil
        }
        let graph = CommitGraph.load(objectsDirectory: commonDir + "objects")
        commitGraphCache = CommitGraphBox(graph: graph)
        return graph
    }

    /// Every best common ancestor of two commits, as `git merge-base --all` lists them. A
    /// damaged commit-graph is dropped for this repository and the walk reads commit objects.
    public func mergeBases(_ a: ObjectID, _ b: ObjectID) throws -> [ObjectID] {
        do {
            var walk = MergeBaseWalk(repo: self, graph: commitGraph)
            return try walk.mergeBases(a, b)
        } catch is CommitGraph.Corrupt {
            commitGraphCache = CommitGraphBox(graph: nil)
            var walk = MergeBaseWalk(repo: self, graph: nil)
            return try walk.mergeBases(a, b)
        }
    }
}
