import CLibgit2

/// git's merge-base algorithm (`paint_down_to_common` and `remove_redundant`), walking the
/// commit-graph where it holds the commits and libgit2's commit objects where it does not
/// (a graph written before the newest commits). Returns exactly what `git merge-base --all`
/// returns, in git's order (newest commit date first).
struct MergeBaseWalk {
    private let repo: Repository
    private let graph: CommitGraph?

    /// A commit in the walk: an index into `nodes`.
    private struct Node {
        let id: ObjectID
        let generation: UInt32   // UInt32.max: not in the graph (git's GENERATION_NUMBER_INFINITY)
        let date: Int64
        var parents: [Int]? = nil
        var flags: UInt8 = 0
    }

    private var nodes: [Node] = []
    private var byGraphPosition: [Int32]
    private var byID: [ObjectID: Int] = [:]

    private static let parent1: UInt8 = 1, parent2: UInt8 = 2, stale: UInt8 = 4, result: UInt8 = 8

    init(repo: Repository, graph: CommitGraph?) {
        self.repo = repo
        self.graph = graph
        byGraphPosition = [Int32](repeating: -1, count: graph?.count ?? 0)
    }

    private mutating func node(graphPosition p: Int) -> Int {
        if byGraphPosition[p] >= 0 { return Int(byGraphPosition[p]) }
        let c = graph!.commit(at: p)
        let id = graph!.id(at: p)
        nodes.append(Node(id: id, generation: c.generation == 0 ? UInt32.max - 1 : c.generation, date: c.date))
        byGraphPosition[p] = Int32(nodes.count - 1)
        byID[id] = nodes.count - 1
        return nodes.count - 1
    }

    private mutating func node(_ id: ObjectID) throws -> Int {
        if let n = byID[id] { return n }
        if let graph, let p = graph.position(of: id) { return node(graphPosition: p) }
        let handle = try repo.lookupCommit(id, what: "commit")
        nodes.append(Node(id: id, generation: UInt32.max, date: Int64(git_commit_time(handle.pointer))))
        byID[id] = nodes.count - 1
        return nodes.count - 1
    }

    private mutating func parents(of n: Int) throws -> [Int] {
        if let known = nodes[n].parents { return known }
        var result: [Int] = []
        if let graph, nodes[n].generation != UInt32.max, let p = graph.position(of: nodes[n].id) {
            for parent in graph.commit(at: p).parents { result.append(node(graphPosition: parent)) }
        } else {
            for parent in try repo.commit(nodes[n].id).parents { result.append(try node(parent)) }
        }
        nodes[n].parents = result
        return result
    }

    /// Max-heap order of git's `compare_commits_by_gen_then_commit_date`.
    private func before(_ a: Int, _ b: Int) -> Bool {
        let x = nodes[a], y = nodes[b]
        if x.generation != y.generation { return x.generation > y.generation }
        return x.date > y.date
    }

    mutating func mergeBases(_ one: ObjectID, _ two: ObjectID) throws -> [ObjectID] {
        let a = try node(one), b = try node(two)
        if a == b { return [one] }
        var candidates = try paintDownToCommon(a, [b])
        candidates = candidates.filter { nodes[$0].flags & Self.stale == 0 }
        candidates = try removeRedundant(candidates)
        // commit_list_insert_by_date: newest first, equal dates keep their order.
        let sorted = candidates.enumerated().sorted { l, r in
            nodes[l.element].date != nodes[r.element].date ? nodes[l.element].date > nodes[r.element].date : l.offset < r.offset
        }
        return sorted.map { nodes[$0.element].id }
    }

    private mutating func paintDownToCommon(_ one: Int, _ twos: [Int]) throws -> [Int] {
        for i in nodes.indices { nodes[i].flags = 0 }
        var queue: [Int] = []
        func push(_ n: Int) {
            queue.append(n)
            var i = queue.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard before(queue[i], queue[parent]) else { break }
                queue.swapAt(i, parent); i = parent
            }
        }
        func pop() -> Int {
            let top = queue[0]
            queue[0] = queue[queue.count - 1]
            queue.removeLast()
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var best = i
                if l < queue.count && before(queue[l], queue[best]) { best = l }
                if r < queue.count && before(queue[r], queue[best]) { best = r }
                if best == i { break }
                queue.swapAt(i, best); i = best
            }
            return top
        }
        nodes[one].flags |= Self.parent1
        push(one)
        for t in twos { nodes[t].flags |= Self.parent2; push(t) }
        var result: [Int] = []
        while queue.contains(where: { nodes[$0].flags & Self.stale == 0 }) {
            let commit = pop()
            var flags = nodes[commit].flags & (Self.parent1 | Self.parent2 | Self.stale)
            if flags == Self.parent1 | Self.parent2 {
                if nodes[commit].flags & Self.result == 0 {
                    nodes[commit].flags |= Self.result
                    result.append(commit)
                }
                flags |= Self.stale
            }
            for p in try parents(of: commit) {
                if nodes[p].flags & flags == flags { continue }
                nodes[p].flags |= flags
                push(p)
            }
        }
        return result
    }

    /// Drops candidates that are ancestors of other candidates.
    private mutating func removeRedundant(_ candidates: [Int]) throws -> [Int] {
        guard candidates.count > 1 else { return candidates }
        var redundant = Set<Int>()
        for (i, c) in candidates.enumerated() where !redundant.contains(c) {
            let others = candidates.enumerated().filter { $0.offset != i && !redundant.contains($0.element) }.map(\.element)
            guard !others.isEmpty else { continue }
            _ = try paintDownToCommon(c, others)
            if nodes[c].flags & Self.parent2 != 0 { redundant.insert(c) }
            for o in others where nodes[o].flags & Self.parent1 != 0 { redundant.insert(o) }
        }
        return candidates.filter { !redundant.contains($0) }
    }
}

extension Repository {
    /// The commit-graph of this repository, read once.
    var commitGraph: CommitGraph? {
        if let cached = commitGraphCache { return cached.graph }
        let graph = CommitGraph.load(objectsDirectory: commonDir + "objects")
        commitGraphCache = CommitGraphBox(graph: graph)
        return graph
    }

    /// Every best common ancestor of two commits, as `git merge-base --all` lists them.
    public func mergeBases(_ a: ObjectID, _ b: ObjectID) throws -> [ObjectID] {
        var walk = MergeBaseWalk(repo: self, graph: commitGraph)
        return try walk.mergeBases(a, b)
    }
}

final class CommitGraphBox {
    let graph: CommitGraph?
    init(graph: CommitGraph?) { self.graph = graph }
}
