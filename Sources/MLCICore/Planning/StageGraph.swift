/// The stages as a graph: `needs` and `after` both order stages; only `needs` propagates.
public enum StageGraph {
    /// Every cycle through needs/after edges, each listed once starting at its
    /// earliest-declared stage.
    static func cycles(_ stages: [Stage]) -> [[String]] {
        let order = Dictionary(uniqueKeysWithValues: stages.enumerated().map { ($1.name, $0) })
        let edges = Dictionary(uniqueKeysWithValues: stages.map { ($0.name, $0.needs + $0.after) })
        var state: [String: Int] = [:]  // 1 on the stack, 2 done
        var stack: [String] = []
        var found: [[String]] = []
        var seen = Set<[String]>()
        func visit(_ name: String) {
            state[name] = 1
            stack.append(name)
            for next in edges[name] ?? [] {
                if state[next] == 1, let start = stack.firstIndex(of: next) {
                    var cycle = Array(stack[start...])
                    let pivot = cycle.indices.min { order[cycle[$0]]! < order[cycle[$1]]! }!
                    cycle = Array(cycle[pivot...] + cycle[..<pivot])
                    if seen.insert(cycle).inserted { found.append(cycle) }
                } else if state[next] == nil {
                    visit(next)
                }
            }
            stack.removeLast()
            state[name] = 2
        }
        for stage in stages where state[stage.name] == nil { visit(stage.name) }
        return found
    }

    /// A topological order of needs+after (dependencies first), ties broken by declaration
    /// order so the output is stable. The config loader has rejected cycles already.
    public static func order(_ stages: [Stage]) -> [Stage] {
        var remaining = stages
        var placed = Set<String>()
        var result: [Stage] = []
        while !remaining.isEmpty {
            guard let i = remaining.firstIndex(where: { s in (s.needs + s.after).allSatisfy(placed.contains) }) else {
                return result + remaining  // unreachable for a validated config
            }
            let next = remaining.remove(at: i)
            placed.insert(next.name)
            result.append(next)
        }
        return result
    }
}
