import Foundation
import MLCITestSupport
import Testing

@testable import MLCICore

/// mlci's reader of Python params files against DVC's own (`parse_py`, run from the test
/// virtualenv): wherever mlci reads a file, it must read exactly what DVC reads; where it
/// declines (returns nil, so the file counts as a whole), the corpus says so up front.
@Suite("Python params files read as DVC reads them")
struct PythonParamsTests {
    enum Expect { case read, whole }

    static let corpus: [(String, Expect)] = [
        ("LR = 0.1\nEPOCHS = 10\nNAME = 'resnet'\nUSE_GPU = True\nSEED = None\n", .read),
        ("lr: float = 0.001\nlayers: list[int] = [64, 32,]\nmaybe: int\n", .read),
        ("x = 1\nx = 2\ny = 3\n", .read),
        ("a = b = 1\nc, d = 1, 2\ne = 1, 2\nf = (3,)\ng = ()\nh = (4)\ni = ((5, 6),)\n", .read),
        (
            "s = 'a' \"b\" '''c'''\nt = r'\\d+\\n'\nu = u'\\u00e9\\x41\\101\\n\\t\\'q\\''\nv = 'line\\\ncontinued'\n",
            .read
        ),
        ("w = '\\d'\nx = \"\"\"multi\nline\"\"\"\ny = '#not a comment'  # a comment\n", .read),
        (
            "n1 = 1_000\nn2 = 0x_ff\nn3 = 0o17\nn4 = 0b101\nn5 = 1e-3\nn6 = 1.5E+2\nn7 = .5\nn8 = 5.\nn9 = -3\nn10 = +2.5\nn11 = 0\nn12 = 00\n",
            .read
        ),
        ("d = {'a': 1, 'b': {'c': [1, 2, {'d': None}]}, 'a': 3}\ne = {}\nf = {'x': -1.0,}\n", .read),
        (
            "class Train:\n    lr = 0.1\n    epochs: int = 5\n\n    class Optim:\n        name = 'adam'\n\nclass Eval: threshold = 0.5; top_k = 3\n",
            .read
        ),
        (
            "class Config:\n    def __init__(self, x=1):\n        self.depth = 4\n        width = 8\n        self.name = 'm'\n        self.x = x\n        if x:\n            self.hidden = 1\n",
            .read
        ),
        ("def __init__(self):\n    self.top = 1\n    plain = 2\nself.attr = 3\nobj.attr = 4\n", .read),
        (
            "import os\nfrom math import pi\nROOT = os.getcwd()\nP = f'{ROOT}/x'\nQ = f'plain'\nN = len([1])\nM = [x for x in range(3)]\nK = {**{}}\nL = lambda: 1\nT = 'a'.upper()\nU = not True\nV = 2 * 3\n",
            .read
        ),
        (
            "if __name__ == '__main__':\n    HIDDEN = 1\nelse:\n    ALSO = 2\nfor i in range(3):\n    pass\nwhile False:\n    Z = 1\ntry:\n    A = 1\nexcept Exception:\n    B = 2\nfinally:\n    C = 3\nwith open('f') as f:\n    D = 4\nKEPT = 5\n",
            .read
        ),
        (
            "@dataclass\nclass Params:\n    '''Docstring.'''\n    lr: float = 0.1\n    tags: tuple = ('a', 'b')\n\nasync def __init__(self):\n    self.no = 1\n",
            .read
        ),
        ("X = [\n    1,  # one\n    2,\n]\nY = (\n    'a'\n    'b'\n)\nZ = 1 + \\\n    0\nW = \\\n    7\n", .read),
        ("match = 1\ncase = 2\ntype = 'x'\nprint(match); R = 3\n", .read),
        ("def helper():\n    INNER = 1\n    return INNER\n\nclass Empty:\n    pass\n", .read),
        ("# only a comment\n\n", .read),
        ("", .read),
        ("résumé = 'ok'\nnaïve = 1\n", .read),
        ("x = [\n", .whole),  // not Python
        ("  x = 1\n", .whole),  // unexpected indent
        ("class A:\nx = 1\n", .whole),  // a header without a body
        ("x = 'unterminated\n", .whole),
        ("c = 1j\n", .whole),  // complex numbers are not modelled
        ("b = b'bytes'\n", .whole),  // nor bytes
        ("s = {1, 2}\n", .whole),  // nor sets
        ("e = set()\n", .whole),
        ("big = 123456789012345678901234567890\n", .whole),
        ("k = {1: 'a'}\n", .whole),  // keys other than strings
        ("n = '\\N{BULLET}'\n", .whole),
        ("e = ...\n", .whole),
        ("z = 007\n", .whole),  // leading zeros: a syntax error in Python 3
        ("\u{FEFF}BOM = 1\n", .whole),  // DVC reads the mark into the text: not Python
        ("cost = $5\n", .whole),
    ]

    @Test("every file of the corpus: the same keys and values as DVC, or read as a whole where expected")
    func agreesWithDVC() throws {
        let theirs = try ParamsFormatsTests.dvcReadings(Self.corpus.map(\.0), reader: "parse_py")
        try #require(theirs.count == Self.corpus.count)
        var compared = 0
        for ((text, expect), dvc) in zip(Self.corpus, theirs) {
            let mine = PythonParams.parse(text)
            switch expect {
            case .read:
                let value = try #require(mine, "mlci should read \(text.debugDescription)")
                let dvcValue = try #require(dvc, "DVC should read \(text.debugDescription)")
                #expect(
                    value.sameValue(as: dvcValue),
                    "\(text.debugDescription): mlci \(value.serialized(pretty: false)) vs DVC \(dvcValue.serialized(pretty: false))"
                )
                compared += 1
            case .whole:
                #expect(
                    mine == nil,
                    "\(text.debugDescription) should be read as a whole, got \(mine.map { $0.serialized(pretty: false) } ?? "")"
                )
            }
        }
        #expect(compared >= 20)
    }

    @Test("a file mlci reads as a whole stands for every key: any change to it counts")
    func wholeFileStandsForEveryKey() {
        let a = ParamsContent.read(Array("c = 1j\nlr = 0.1\n".utf8), path: "params.py")
        let b = ParamsContent.read(Array("c = 1j\nlr = 0.1  # same\n".utf8), path: "params.py")
        guard case .whole = a else { Issue.record("expected a whole-file reading"); return }
        #expect(a.value("lr") != nil && b.value("lr") != nil)
        #expect(a.value("lr") != b.value("lr"))
        let read = ParamsContent.read(Array("lr = 0.1\n".utf8), path: "params.py")
        #expect(read.value("lr") == .double(0.1))
        #expect(read.value("missing") == nil)
    }
}
