import MLCICore
import Testing

@Suite("mlci.yml loading and validation")
struct ConfigLoaderTests {
    func errors(_ text: String, rootNames: Set<String> = []) -> [String] {
        do {
            _ = try ConfigLoader(rootNames: rootNames).load(text: text)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test("the contract example of the README and docs/configuration.md loads, in declaration and topological order")
    func contractExample() throws {
        let text = """
            version: 1
            default_branch: main
            kinds:
              code: ["src/**", "tests/**", "*.py", "!notebooks/**"]
              data: ["data/**", "*.dvc"]
              model: ["models/**"]
              params: ["params.yaml"]
              deps: ["requirements*.txt", "pyproject.toml"]
            stages:
              deploy:  {run: "kubectl apply -f k8s/", on: [model, "k8s/**"], needs: [package, train]}
              lint:    {run: "ruff check .", on: [code]}
              test:    {run: "pytest -q", on: [code, deps], after: [lint]}
              package: {run: "docker build -t ml-api:$MLCI_HEAD_SHA .", on: [code, deps, Dockerfile], needs: [test]}
              train:
                run: python -m src.train
                on: [data, "src/train/**"]
                params: {params.yaml: [train.lr, train.epochs]}
            """
        let (config, warnings) = try ConfigLoader(rootNames: ["Dockerfile"]).load(text: text)
        #expect(warnings.isEmpty)
        #expect(config.defaultBranch == "main")
        #expect(config.kinds.map(\.name) == ["code", "data", "model", "params", "deps"])
        #expect(config.stages.map(\.name) == ["deploy", "lint", "test", "package", "train"])
        #expect(StageGraph.order(config.stages).map(\.name) == ["lint", "test", "package", "train", "deploy"])
        let package = try #require(config.stage(named: "package"))
        #expect(package.on.map(\.target) == [.kind("code"), .kind("deps"), .pattern(PathPattern("Dockerfile")!)])
        #expect(
            config.stage(named: "train")?.params == [
                ParamsWatch(file: "params.yaml", keys: ["train.lr", "train.epochs"])
            ])
    }

    @Test("every problem is reported at once, each with file:line:column")
    func allProblemsAtOnce() {
        let text = """
            version: 1
            kinds:
              data: ["data/**"]
            stages:
              lint: {run: "ruff", on: [code]}
              test:
                run: ""
                on: [dta]
                needs: [lnt]
                timeoutt: 5
              a: {run: x, needs: [b]}
              b: {run: y, after: [a]}
            colour: red
            """
        let found = errors(text)
        #expect(
            found.contains(
                "mlci.yml:8:10: error: stage 'test' watches 'dta', which is not a declared kind (did you mean 'data'?) and names nothing at the repository root; declare it under 'kinds:' or write a path such as 'dta/'"
            ))
        #expect(found.contains("mlci.yml:7:10: error: stage 'test': 'run' must be a non-empty command"))
        #expect(found.contains("mlci.yml:9:13: error: stage 'test' needs unknown stage 'lnt' (did you mean 'lint'?)"))
        #expect(found.contains("mlci.yml:10:5: error: stage 'test': unknown key 'timeoutt' (did you mean 'timeout'?)"))
        #expect(found.contains("mlci.yml:13:1: error: unknown key 'colour'"))
        #expect(
            found.contains { $0.hasPrefix("mlci.yml:11:3: error: stages form a cycle through needs/after: a → b → a") })
        #expect(found.count == 6, "\(found)")
    }

    @Test("a word that is a kind nowhere but names a root entry is a path pattern")
    func bareWordPaths() throws {
        let text = "version: 1\nkinds: {data: [\"data/**\"]}\nstages: {build: {run: make, on: [date]}}\n"
        #expect(errors(text).count == 1)
        #expect(errors(text, rootNames: ["date"]).isEmpty)
        #expect(
            errors("version: 1\nkinds: {data: [\"data/**\"]}\nstages: {build: {run: make, on: [Makefile]}}\n").isEmpty)
    }

    @Test("malformed YAML and wrong types give a location and a plain message")
    func malformed() {
        #expect(errors("version: 1\nstages: {lint: {run: [unclosed}\n").first?.hasPrefix("mlci.yml:2:") == true)
        #expect(
            errors("- just\n- a list\n") == [
                "mlci.yml:1:1: error: mlci.yml must be a mapping with 'version', 'kinds' and 'stages'; found a list"
            ])
        #expect(
            errors("version: 2\nstages: {a: {run: x}}\n") == [
                "mlci.yml:1:10: error: unsupported version '2'; this mlci reads version 1"
            ])
        #expect(
            errors("version: 1\nstages: {a: {run: x, on: {code: 1}}}\n")
                == ["mlci.yml:2:26: error: stage 'a' on: expected a list of strings, found a mapping"])
        #expect(errors("version: 1\nstages: {a: {run: x}, a: {run: y}}\n").first?.contains("duplicate key 'a'") == true)
        #expect(
            errors("") == [
                "mlci.yml:1:1: error: mlci.yml must be a mapping with 'version', 'kinds' and 'stages'; found an empty document"
            ])
        #expect(
            errors("version: 1\nstages: {a: {run: x, params: {params.ini: [a]}}}\n").first?.contains(
                "must end in .yaml, .yml, .json, .toml or .py") == true)
    }

    @Test("bytes that are not UTF-8 and control characters are errors at their line and column")
    func unreadableBytes() {
        func diagnostics(_ bytes: [UInt8]) -> [String] {
            do {
                _ = try ConfigLoader().load(bytes: bytes)
                return []
            } catch {
                return error.diagnostics.map(\.description)
            }
        }
        let prefix = Array("version: 1\nstages:\n  a: {run: \"é".utf8)  // line 3, é at column 13
        #expect(
            diagnostics(prefix + [0xff] + Array("\"}\n".utf8))
                == ["mlci.yml:3:14: error: not UTF-8 text (byte 0xff); save mlci.yml as UTF-8"])
        #expect(
            diagnostics(prefix + Array("x".utf8) + [0x01] + Array("\"}\n".utf8))
                == ["mlci.yml:3:15: error: cannot read YAML: control characters are not allowed (U+0001)"])
        #expect(diagnostics(prefix + Array("\"}\n".utf8)).isEmpty, "the same file without the bad byte loads")
    }

    @Test("anchors and merge keys share settings between stages, and their changes show in each stage's definition")
    func mergeKeys() throws {
        func load(_ timeout: String) throws -> MLCIConfig {
            try ConfigLoader().load(
                text: """
                    version: 1
                    x-gpu: &gpu {timeout: \(timeout), env: {DEVICE: cuda}}
                    stages:
                      train: {<<: *gpu, run: python train.py}
                      evaluate:
                        <<: *gpu
                        run: python evaluate.py
                        timeout: 10m
                    """
            ).0
        }
        let config = try load("2h")
        #expect(config.stage(named: "train")?.timeout == 7200)
        #expect(config.stage(named: "evaluate")?.timeout == 600, "a stage's own key wins over the merged one")
        let changed = try load("3h")
        #expect(changed.stage(named: "train")?.definition != config.stage(named: "train")?.definition)
        #expect(changed.stage(named: "evaluate")?.definition == config.stage(named: "evaluate")?.definition)
    }

    @Test("a single string counts as a list of one")
    func scalarLists() throws {
        let (config, _) = try ConfigLoader().load(
            text: "version: 1\nstages: {a: {run: x}, b: {run: y, needs: a, on: \"src/**\"}}\n")
        #expect(config.stage(named: "b")?.needs == ["a"])
        #expect(config.stage(named: "b")?.on.map(\.source) == ["src/**"])
    }
}

@Suite("params files")
struct ParamsFileTests {
    @Test("YAML, JSON and TOML give the same typed values")
    func formats() throws {
        let yaml = try ParamsFile.parse(
            Array("train:\n  lr: 0.1\n  epochs: 10\n  name: \"0.1\"\n  on: true\n  layers: [64, 32]\n".utf8),
            format: .yaml)
        let json = try ParamsFile.parse(
            Array(#"{"train": {"lr": 0.1, "epochs": 10, "name": "0.1", "on": true, "layers": [64, 32]}}"#.utf8),
            format: .json)
        let toml = try ParamsFile.parse(
            Array("[train]\nlr = 0.1\nepochs = 10\nname = \"0.1\"\non = true\nlayers = [\n  64,\n  32,\n]\n".utf8),
            format: .toml)
        for value in [yaml, json, toml] {
            #expect(value.lookup("train.lr") == .double(0.1))
            #expect(value.lookup("train.epochs") == .int(10))
            #expect(value.lookup("train.name") == .string("0.1"))
            #expect(value.lookup("train.on") == .bool(true))
            #expect(value.lookup("train.layers.1") == .int(32))
            #expect(value.lookup("train.missing") == nil)
        }
        #expect(yaml.sameValue(as: json) && json.sameValue(as: toml))
    }

    @Test("TOML: dotted keys, quoted keys, arrays of tables, inline tables, literal and multi-line strings")
    func toml() throws {
        let text = """
            # comment
            title = 'literal \\n kept'
            a.b.c = 1_000
            "quoted key" = 0x10
            [model]
            opts = {depth = 3, name = "x"}
            doc = \"\"\"
            line one
            line two\"\"\"
            [[runs]]
            seed = 1
            [[runs]]
            seed = 2
            """
        let v = try ParamsFile.parse(Array(text.utf8), format: .toml)
        #expect(v.lookup("title") == .string("literal \\n kept"))
        #expect(v.lookup("a.b.c") == .int(1000))
        #expect(v.lookup("quoted key") == .int(16))
        #expect(v.lookup("model.opts.depth") == .int(3))
        #expect(v.lookup("model.doc") == .string("line one\nline two"))
        #expect(v.lookup("runs.1.seed") == .int(2))
    }

    @Test("errors carry a line number")
    func errors() {
        #expect(throws: ParamsError.self) { try ParamsFile.parse(Array("[a]\nx = \n".utf8), format: .toml) }
        do { _ = try ParamsFile.parse(Array("{\n\"a\": [1,\n}".utf8), format: .json) } catch {
            #expect(error.line == 3)
        }
        do { _ = try ParamsFile.parse(Array("a: 1\nb: [\n".utf8), format: .yaml) } catch { #expect(error.line != nil) }
    }

    @Test("1 equals 1.0; key order does not matter")
    func sameValue() throws {
        let a = try ParamsFile.parse(Array(#"{"x": 1, "y": {"p": 1, "q": 2}}"#.utf8), format: .json)
        let b = try ParamsFile.parse(Array("y: {q: 2, p: 1.0}\nx: 1.0\n".utf8), format: .yaml)
        #expect(a.sameValue(as: b))
    }
}
