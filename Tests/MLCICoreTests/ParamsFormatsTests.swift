import Foundation
import MLCITestSupport
import Testing

@testable import MLCICore

/// Params files against DVC's own readers (`parse_yaml` — ruamel's YAML 1.2 —, `parse_json`,
/// `parse_toml`, run from the test virtualenv): scalar spellings, anchors and merge keys, TOML
/// tables must read to the same values, or a changed key could go unseen (`yes` → `true` is a
/// change to DVC; `<<: *defaults` carries values into a key).
@Suite("params files read as DVC reads them")
struct ParamsFormatsTests {
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

    static let json = [
        #"{"a": 1, "b": 1.0, "c": 1e2, "d": -0, "e": 1.5E-3, "f": 12345, "g": true, "h": null}"#,
        #"{"a": 1, "a": 2, "n": {"x": [1, [2, {"y": "z"}]], "e": {}, "l": []}}"#,
        #"{"s": "caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \n\t", "t": "é"}"#,
        " \n{ \"spaced\" :\t[ 1 , 2 ] }\n",
        #"{"lone": "\ud83d\u0041", "pair": "\ud83d\udc00x", "low": "\udc00", "high": "\ud800\ud800"}"#,
        #"{"inf": Infinity, "ninf": -Infinity, "zero": 0, "neg": -0.5, "exp": 2E+3}"#,
        #"{"trailing": 1,}"#, #"{"x": 01}"#, "{'single': 1}", #"{"x": 1.}"#, #"{"x": .5}"#, #"{"x": +1}"#,
        #"{"x": -}"#, #"{"x": 1e}"#, #"[1, 2"#,
    ]

    static let toml = [
        "a = 1\nb = 1_000\nc = 0x1F\nd = 0o17\ne = 0b101\nf = 1.5\ng = 1e3\nh = -0.0\ni = true\nj = +7\n",
        #"s = "caf\u00e9 \"q\""\#nl = 'C:\no\escape'\#n"#,
        "m = \"\"\"\nmulti\nline\"\"\"\nn = '''\nraw\nlines'''\n",
        "[train]\nlr = 0.1\n[train.optim]\nname = \"adam\"\n[eval]\nk = [1, 2, 3]\n",
        "[[runs]]\nseed = 1\n[[runs]]\nseed = 2\n[[runs.sub]]\nx = 1\n",
        "p = {q = 1, r.s = 2}\ndotted.key.path = 3\n\"quoted key\" = 4\n",
        "arr = [\n  1,\n  2, # comment\n]\nnested = [[1, 2], [\"a\"]]\n",
        "inf1 = inf\ninf2 = -inf\n",
        "[a.b]\nx = 1\n[a]\ny = 2\n",
        "dup = 1\ndup = 2\n", "a = \n", "[t]\nx = 1\n[t]\ny = 2\n", "[[t]]\nx = 1\n[t]\ny = 2\n",
    ]

    /// DVC's reading of each text with one of its readers, as JSON (infinities spelled "inf");
    /// nil where DVC rejects the text.
    static func dvcReadings(_ texts: [String], reader: String) throws -> [JSONValue?] {
        let python = try Validators.path("python")
        let script = """
            import json, math, sys
            from dvc.utils.serialize import \(reader)
            def plain(v):
                if isinstance(v, float) and math.isinf(v):
                    return "inf" if v > 0 else "-inf"
                if isinstance(v, dict):
                    return {k: plain(x) for k, x in v.items()}
                if isinstance(v, list):
                    return [plain(x) for x in v]
                return v
            out = []
            for text in json.load(sys.stdin):
                try:
                    out.append({"ok": json.dumps(plain(\(reader)(text, "params")), default=str)})
                except Exception as e:
                    out.append({"error": type(e).__name__})
            print(json.dumps(out))
            """
        let input = try JSONSerialization.data(withJSONObject: texts)
        let result = try Shell.ok([python, "-c", script], stdin: [UInt8](input))
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [[String: Any]] ?? []
        return try parsed.map { entry in try (entry["ok"] as? String).map { try JSONParser.parse($0) } }
    }

    /// mlci's value with infinities spelled as the script spells DVC's.
    static func plain(_ value: JSONValue) -> JSONValue {
        switch value {
        case .double(let d) where d.isInfinite: return .string(d > 0 ? "inf" : "-inf")
        case .object(let pairs): return .object(pairs.map { ($0.0, plain($0.1)) })
        case .array(let items): return .array(items.map(plain))
        default: return value
        }
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

    /// Each text read by mlci and by DVC: the same values where DVC reads it, a rejection
    /// where DVC rejects it. Returns how many were compared value by value.
    static func compare(_ texts: [String], format: ParamsFormat, reader: String) throws -> Int {
        let theirs = try dvcReadings(texts, reader: reader)
        try #require(theirs.count == texts.count)
        var compared = 0
        for (text, dvc) in zip(texts, theirs) {
            let mine = try? ParamsFile.parse(Array(text.utf8), format: format)
            guard let dvc else {
                #expect(
                    mine == nil,
                    "DVC rejects \(text.debugDescription); mlci read \(mine?.serialized(pretty: false) ?? "")")
                continue
            }
            guard let mine else {
                Issue.record(
                    "mlci rejects \(text.debugDescription), which DVC reads as \(dvc.serialized(pretty: false))")
                continue
            }
            #expect(
                sameTyped(plain(mine), dvc),
                "\(text.debugDescription): mlci \(mine.serialized(pretty: false)) vs DVC \(dvc.serialized(pretty: false))"
            )
            compared += 1
        }
        return compared
    }

    @Test("YAML: every scalar spelling, anchors and merge keys")
    func yaml() throws {
        let texts = Self.scalars.map { "key: \($0)\n" } + Self.documents
        #expect(try Self.compare(texts, format: .yaml, reader: "parse_yaml") >= texts.count - 2)
    }

    @Test("JSON: numbers, escapes, duplicate keys; malformed files")
    func json() throws {
        #expect(try Self.compare(Self.json, format: .json, reader: "parse_json") >= 4)
    }

    @Test("TOML: numbers, strings, tables, arrays of tables, dotted keys; malformed files")
    func toml() throws {
        #expect(try Self.compare(Self.toml, format: .toml, reader: "parse_toml") >= 7)
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
