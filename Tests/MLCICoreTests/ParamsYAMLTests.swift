import Foundation
@testable import MLCICore
import MLCITestSupport
import Testing

/// YAML params files against DVC's own reader (`parse_yaml`, ruamel's YAML 1.2, run from the
/// test virtualenv): scalar spellings, anchors and merge keys must read to the same values, or a
/// changed key could go unseen (`yes` → `true` is a change to DVC; `<<: *defaults` carries
/// values into a key).
@Suite("YAML params files read as DVC reads them")
struct ParamsYAMLTests {
    static let scalars = [
        "1", "-1", "+1", "0", "00", "017", "0o17", "0x1F", "-0x1f", "0b101", "1_000", "1__0", "089", "_",
        "1.5", "1.", ".5", "-.5", "1e3", "1E-3", "1.5e+3", ".5e-3", ".5e3", "1_0.5",
        "true", "True", "TRUE", "false", "yes", "no", "on", "off", "y", "n", "Yes",
        "null", "Null", "~", "", "NULL", "nul",
        "'1'", "\"true\"", "1:20", "0.1.2", "1e", "+", "-", "abc", "v1.0", "1 2",
    ]

    static let documents = [
        "defaults: &d\n  lr: 0.1\n  epochs: 3\ntrain:\n  <<: *d\n  epochs: 5\n",
        "a: &a {x: 1, y: 2}\nb: &b {y: 20, z: 30}\nc:\n  <<: [*a, *b]\n  z: 300\n",
        "base: &base\n  opt: {name: adam, lr: 0.1}\nmodel:\n  <<: *base\n  opt: {name: sgd}\n",
        "inner: &i {k: v}\nmid: &m\n  <<: *i\n  j: w\nouter:\n  <<: *m\n  l: u\n",
        "list: &l [1, 2]\ncopy: *l\nscalar: &s 0.5\nalias: *s\n",
        "quoted:\n  '<<': {x: 1}\n",
        "m: {<<: {a: 1}, a: 2}\n",
    ]

    /// DVC's reading of each document, as JSON; nil where DVC rejects it.
    static func dvcReadings(_ texts: [String]) throws -> [JSONValue?] {
        let python = try Validators.path("python")
        let script = """
            import json, sys
            from dvc.utils.serialize._yaml import parse_yaml
            out = []
            for text in json.load(sys.stdin):
                try:
                    out.append({"ok": json.dumps(parse_yaml(text, "params.yaml"), default=str)})
                except Exception as e:
                    out.append({"error": type(e).__name__})
            print(json.dumps(out))
            """
        let input = try JSONSerialization.data(withJSONObject: texts)
        let result = try Shell.ok([python, "-c", script], stdin: [UInt8](input))
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [[String: Any]] ?? []
        return try parsed.map { entry in try (entry["ok"] as? String).map { try JSONParser.parse($0) } }
    }

    /// Equal values of the same type: `sameValue` lets 1 equal 1.0, which DVC's comparison
    /// also does, but a string must not pass for a number.
    static func sameTyped(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.int, .int), (.double, .double), (.int, .double), (.double, .int): return a.sameValue(as: b)
        case (.object(let x), .object(let y)):
            let ys = Dictionary(y, uniquingKeysWith: { _, last in last })
            return x.count == y.count && x.allSatisfy { key, value in ys[key].map { sameTyped(value, $0) } ?? false }
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameTyped($0, $1) }
        default: return a == b
        }
    }

    @Test("every scalar spelling and every anchor and merge document reads as DVC reads it")
    func agreesWithDVC() throws {
        let texts = Self.scalars.map { "key: \($0)\n" } + Self.documents
        let theirs = try Self.dvcReadings(texts)
        try #require(theirs.count == texts.count)
        var compared = 0
        for (text, dvc) in zip(texts, theirs) {
            guard let dvc else {
                #expect(throws: ParamsError.self, "DVC rejects \(text.debugDescription); so must mlci") {
                    try ParamsFile.parse(Array(text.utf8), format: .yaml)
                }
                continue
            }
            let mine = try ParamsFile.parse(Array(text.utf8), format: .yaml)
            #expect(Self.sameTyped(mine, dvc), "\(text.debugDescription): mlci \(mine.serialized(pretty: false)) vs DVC \(dvc.serialized(pretty: false))")
            compared += 1
        }
        #expect(compared >= texts.count - 2)
    }

    @Test("infinities and not-a-number")
    func specialFloats() throws {
        #expect(ParamsFile.plainScalar(".inf") == .double(.infinity))
        #expect(ParamsFile.plainScalar("-.Inf") == .double(-.infinity))
        guard case .double(let nan) = ParamsFile.plainScalar(".NaN") else { Issue.record("not a float"); return }
        #expect(nan.isNaN)
        #expect(ParamsFile.plainScalar("inf") == .string("inf"))
    }

    @Test("an integer beyond 64 bits is kept as written, so any change to it is seen")
    func bigIntegers() {
        #expect(ParamsFile.plainScalar("12345678901234567890") == .string("12345678901234567890"))
        #expect(ParamsFile.plainScalar("12345678901234567891") != ParamsFile.plainScalar("12345678901234567890"))
    }
}
