/// A unified diff of two texts (`--- old`, `+++ new`, `@@` hunks with 3 lines of context),
/// for `mlci generate --check`. Generated files are small, so a plain LCS table is enough.
public enum UnifiedDiff {
    public static func diff(old: String, new: String, oldName: String, newName: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // lcs[i][j]: length of the longest common subsequence of a[i...] and b[j...].
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        enum Op {
            case same(String)
            case del(String)
            case add(String)
        }
        var ops: [Op] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                ops.append(.same(a[i])); i += 1; j += 1
            } else if i < a.count, j == b.count || lcs[i + 1][j] >= lcs[i][j + 1] {
                // Removed lines before added ones, as git prints a changed block.
                ops.append(.del(a[i])); i += 1
            } else {
                ops.append(.add(b[j])); j += 1
            }
        }
        let changed = ops.indices.filter { if case .same = ops[$0] { return false } else { return true } }
        guard !changed.isEmpty else { return "" }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        // Group changes whose context overlaps into hunks.
        var groups: [[Int]] = []
        for index in changed {
            if let last = groups.last?.last, index - last <= 6 {
                groups[groups.count - 1].append(index)
            } else {
                groups.append([index])
            }
        }
        for group in groups {
            let start = max(0, group.first! - 3), end = min(ops.count - 1, group.last! + 3)
            var oldStart = 1, newStart = 1
            for k in 0..<start {
                switch ops[k] {
                case .same: oldStart += 1; newStart += 1;
                case .del: oldStart += 1;
                case .add: newStart += 1
                }
            }
            var oldCount = 0, newCount = 0, body = ""
            for k in start...end {
                switch ops[k] {
                case .same(let l): oldCount += 1; newCount += 1; body += " \(l)\n"
                case .del(let l): oldCount += 1; body += "-\(l)\n"
                case .add(let l): newCount += 1; body += "+\(l)\n"
                }
            }
            out +=
                "@@ -\(oldCount == 0 ? oldStart - 1 : oldStart),\(oldCount) +\(newCount == 0 ? newStart - 1 : newStart),\(newCount) @@\n"
                + body
        }
        return out
    }
}
