/// Statements of a block, read as DVC walks the syntax tree of a params file.
extension PythonParams {
    /// Reads blocks of logical lines the way DVC walks the syntax tree.
    struct BlockReader {
        let lines: [Line]
        private(set) var position = 0
        /// How many class or def bodies enclose the block being read.
        private var nesting = 0

        init(lines: [Line]) { self.lines = lines }

        static let compoundKeywords: Set<String> = [
            "if", "elif", "else", "for", "while", "with", "try", "except", "finally", "async",
        ]

        /// The lines at exactly `indent`, from `position`, until one is less indented.
        mutating func block(indent: Int, onlySelf: Bool) throws -> KeyedPairs {
            var values = KeyedPairs()
            while position < lines.count {
                let line = lines[position]
                if line.indent < indent { break }
                guard line.indent == indent else { throw Unsure() }  // unexpected indent
                position += 1
                try statementLine(line, into: &values, onlySelf: onlySelf)
            }
            return values
        }

        private mutating func statementLine(_ line: Line, into values: inout KeyedPairs, onlySelf: Bool)
            throws
        {
            let tokens = line.tokens
            guard case .name(let first)? = tokens.first else {
                // `@decorator` lines and expression statements.
                if tokens.first == .op("@") { return }
                try simpleStatements(tokens[...], into: &values, onlySelf: onlySelf)
                return
            }
            let isClass = first == "class", isDef = first == "def"
            let isSoftCompound =
                (first == "match" || first == "case") && tokens.last == .op(":") && nextIsIndented(line)
            guard isClass || isDef || Self.compoundKeywords.contains(first) || isSoftCompound else {
                try simpleStatements(tokens[...], into: &values, onlySelf: onlySelf)
                return
            }
            // A compound statement: its header ends at the first `:` outside brackets.
            guard let colon = Self.topLevel(tokens[...], .op(":")) else { throw Unsure() }
            let inline = tokens[(colon + 1)...]
            var body = KeyedPairs()
            let bodyOnlySelf = isDef
            if !inline.isEmpty {
                if isClass || isDef { try simpleStatements(inline, into: &body, onlySelf: bodyOnlySelf) }
            } else {
                guard nextIsIndented(line) else { throw Unsure() }  // a header needs a body
                let bodyIndent = lines[position].indent
                if isClass || isDef {
                    nesting += 1
                    defer { nesting -= 1 }
                    guard nesting <= PythonParams.maximumBlockDepth else { throw Unsure() }
                    body = try block(indent: bodyIndent, onlySelf: bodyOnlySelf)
                } else {
                    while position < lines.count, lines[position].indent >= bodyIndent { position += 1 }
                }
            }
            if isClass, case .name(let name)? = tokens.dropFirst().first {
                values.set(name, .object(body.pairs))
            } else if isDef, tokens.dropFirst().first == .name("__init__") {
                for (key, value) in body.pairs { values.set(key, value) }
            }
        }

        private func nextIsIndented(_ line: Line) -> Bool {
            position < lines.count && lines[position].indent > line.indent
        }

        /// `a = 1; b = 2`: each statement on its own.
        private func simpleStatements(
            _ tokens: ArraySlice<Token>, into values: inout KeyedPairs, onlySelf: Bool
        ) throws {
            var rest = tokens
            while !rest.isEmpty {
                let end = Self.topLevel(rest, .op(";")) ?? rest.endIndex
                try assignment(rest[rest.startIndex..<end], into: &values, onlySelf: onlySelf)
                rest = end < rest.endIndex ? rest[(end + 1)...] : []
            }
        }

        private func assignment(_ tokens: ArraySlice<Token>, into values: inout KeyedPairs, onlySelf: Bool)
            throws
        {
            let equals = Self.topLevelIndices(tokens, .op("="))
            guard let firstEquals = equals.first else { return }
            let annotation = Self.topLevel(tokens[..<firstEquals], .op(":"))
            // `a = b = 1` has several targets; DVC leaves it out.
            if annotation == nil && equals.count > 1 { return }
            let target = tokens[tokens.startIndex..<(annotation ?? firstEquals)]
            let name: String
            if target.count == 1, case .name(let n) = target.first!, !onlySelf, !Self.keywords.contains(n) {
                name = n
            } else if target.count == 3, target.first == .name("self"), target.dropFirst().first == .op("."),
                case .name(let n) = target.last!
            {
                name = n
            } else {
                return
            }
            switch try LiteralReader.value(tokens[(firstEquals + 1)...]) {
            case .literal(let value): values.set(name, value)
            case .notLiteral: return
            }
        }

        static let keywords: Set<String> = [
            "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
            "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
            "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
            "return", "try", "while", "with", "yield",
        ]

        /// Every `token` outside brackets, in one pass (a depth count per `=` made a call with
        /// tens of thousands of keyword arguments quadratic).
        static func topLevelIndices(_ tokens: ArraySlice<Token>, _ token: Token) -> [Int] {
            var depth = 0
            var found: [Int] = []
            for i in tokens.indices {
                let t = tokens[i]
                if t == .op("(") || t == .op("[") || t == .op("{") { depth += 1 }
                if t == .op(")") || t == .op("]") || t == .op("}") { depth -= 1 }
                if depth == 0 && t == token { found.append(i) }
            }
            return found
        }

        /// The first `token` outside brackets.
        static func topLevel(_ tokens: ArraySlice<Token>, _ token: Token) -> Int? {
            var depth = 0
            for i in tokens.indices {
                let t = tokens[i]
                if t == .op("(") || t == .op("[") || t == .op("{") { depth += 1 }
                if t == .op(")") || t == .op("]") || t == .op("}") { depth -= 1 }
                if depth == 0 && t == token { return i }
            }
            return nil
        }
    }

    // MARK: Literals
}
