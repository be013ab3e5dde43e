/// Reads a Python params file (`params.py`) the way DVC does (`dvc/utils/serialize/_py.py`):
/// module-level assignments of literal values (`LR = 0.1`, `LAYERS: list = [64, 32]`), class
/// bodies as nested mappings (`class Train: lr = 0.1` → `Train.lr`), and `self.x = …` inside
/// `__init__`. Assignments whose value is not a literal (`N = len(x)`, `PATH = f"{ROOT}/x"`),
/// with several targets, or inside `if`/`for`/`def` blocks are left out, as DVC leaves them out.
///
/// The reader never guesses. When the file holds a literal it does not model exactly (complex
/// numbers, bytes, sets, integers beyond 64 bits, `\N{…}` escapes, `...`) or is not valid
/// Python as far as it can tell, `parse` returns nil and callers treat the file as a whole: any
/// change to it counts for every key, so a change is never missed.
enum PythonParams {
    static func parse(_ text: String) -> JSONValue? {
        guard let lines = try? LogicalLines(text).lines else { return nil }
        var reader = BlockReader(lines: lines)
        guard let values = try? reader.block(indent: 0, onlySelf: false), reader.position == lines.count else {
            return nil
        }
        return .object(values.pairs)
    }

    /// The deepest bracket nesting and block nesting CPython accepts (MAXLEVEL, MAXINDENT); a
    /// deeper file is not valid Python, and reading it would recurse once per level.
    static let maximumBracketDepth = 200
    static let maximumBlockDepth = 100

    /// Something the reader cannot decide exactly: the whole file is then treated as opaque.
    struct Unsure: Error {}

    // MARK: Tokens

    enum Token: Equatable {
        case name(String)
        case number(String)
        /// Adjacent string literals are joined by the reader; `value` is nil for f-strings.
        case string(value: String?, bytes: Bool)
        case op(String)
    }

    struct Line {
        let indent: Int
        let tokens: [Token]
    }

    /// Keys in the order they first appeared, a later value replacing an earlier one (as a
    /// Python dict does), found through an index: a linear search per key made 60,000
    /// assignments, or a dict literal with 30,000 keys, quadratic.
    struct KeyedPairs {
        private(set) var pairs: [(String, JSONValue)] = []
        private var position: [String: Int] = [:]

        mutating func set(_ key: String, _ value: JSONValue) {
            if let i = position[key] {
                pairs[i].1 = value
            } else {
                position[key] = pairs.count
                pairs.append((key, value))
            }
        }
    }
}
