import Foundation
import MLCITestSupport
import Testing

/// Jenkins has no engine on this machine, so the generated Jenkinsfile is read as a tree of
/// blocks and each stage's `when` is evaluated the way Jenkins documents its conditions
/// (`branch`/`tag` with `comparator: 'GLOB'` are Ant-style: `*` within a path segment, `**`
/// across; `changeRequest()` holds in pull request builds, `buildingTag()` in tag builds; all
/// top-level conditions must hold). Each build kind gets Jenkins' own variables, the plan's
/// dotenv decisions are applied as the Plan stage applies them, and the stages that would run
/// are compared with the plan and with what the build kind should run.
@Suite("generated Jenkinsfile")
struct JenkinsfileTests {
    static let config = """
        version: 1
        kinds: {code: ["src/**"], data: ["data/**"], model: ["models/**"]}
        pipelines:
          ci: {stages: [lint, test]}
          cd: {stages: [package, deploy], branches: [main, "release/*"]}
          ct: {stages: [train], schedule: "0 3 * * 1", dispatch: retrain}
        ci:
          jenkins: {agent: linux}
        stages:
          lint: {run: "true", on: [code]}
          test: {run: "true", on: [code], shards: 3}
          package: {run: "true", on: [code]}
          deploy: {run: "true", on: [model], tags: ["model@v*"], needs: [package], ci: {jenkins: {agent: deploy-box}}}
          train: {run: "true", on: [data], ci: {jenkins: {agent: "gpu && linux"}}}
        """

    /// A block of the Jenkinsfile: `name {` … `}`; a line that opens and closes on itself
    /// (`not { changeRequest() }`) is a leaf.
    final class Block {
        let name: String
        var children: [Block] = []
        init(_ name: String) { self.name = name }

        func child(_ name: String) -> Block? { children.first { $0.name == name } }

        static func parse(_ text: String) -> Block {
            let root = Block("")
            var stack = [root]
            for raw in text.split(separator: "\n") {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("//") { continue }
                if line == "}" {
                    stack.removeLast()
                } else if line.hasSuffix("{") {
                    let block = Block(String(line.dropLast()).trimmingCharacters(in: .whitespaces))
                    stack.last?.children.append(block)
                    stack.append(block)
                } else {
                    stack.last?.children.append(Block(line))
                }
            }
            return root
        }
    }

    /// Ant-style glob, written independently of mlci's own translation.
    static func glob(_ pattern: String, _ value: String) -> Bool {
        var regex = "^"
        var chars = Array(pattern)[...]
        while let c = chars.popFirst() {
            switch c {
            case "*" where chars.first == "*": chars.removeFirst(); regex += ".*"
            case "*": regex += "[^/]*"
            case "?": regex += "[^/]"
            default: regex += NSRegularExpression.escapedPattern(for: String(c))
            }
        }
        return value.range(of: regex + "$", options: .regularExpression) != nil
    }

    static func quoted(_ text: String) -> String {
        let start = text.index(after: text.firstIndex(of: "'")!)
        let end = text[start...].firstIndex(of: "'")!
        return String(text[start..<end])
    }

    static func holds(_ condition: Block, _ env: [String: String]) -> Bool {
        let text = condition.name
        func set(_ name: String) -> Bool { !(env[name] ?? "").isEmpty }
        switch text {
        case "anyOf": return condition.children.contains { holds($0, env) }
        case "allOf": return condition.children.allSatisfy { holds($0, env) }
        case "beforeAgent true": return true
        case "changeRequest()": return set("CHANGE_ID")
        case "not { changeRequest() }": return !set("CHANGE_ID")
        case "not { buildingTag() }": return !set("TAG_NAME")
        case "expression { !env.BRANCH_NAME }": return !set("BRANCH_NAME")
        default:
            if text.hasPrefix("expression { env."), text.hasSuffix(" == 'true' }") {
                let name = String(text.dropFirst("expression { env.".count).prefix { $0 != " " })
                return env[name] == "true"
            }
            if text.hasPrefix("branch pattern: "), text.hasSuffix(", comparator: 'GLOB'") {
                return set("BRANCH_NAME") && glob(quoted(text), env["BRANCH_NAME"]!)
            }
            if text.hasPrefix("tag pattern: "), text.hasSuffix(", comparator: 'GLOB'") {
                return set("TAG_NAME") && glob(quoted(text), env["TAG_NAME"]!)
            }
            Issue.record("a condition this evaluator does not know: \(text)")
            return false
        }
    }

    /// The stages a build runs: the Plan stage's dotenv decisions, then each stage's `when`.
    static func stagesRun(_ jenkinsfile: Block, _ env: [String: String]) -> Set<String> {
        let stages = jenkinsfile.child("pipeline")?.child("stages")?.children ?? []
        var run: Set<String> = []
        for stage in stages where stage.name != "stage('Plan')" {
            let when = stage.child("when")
            if when?.children.allSatisfy({ holds($0, env) }) ?? true { run.insert(quoted(stage.name)) }
        }
        return run
    }

    @Test(
        "each build kind runs exactly the planned stages its pipeline runs for: branch globs, pull requests, tags, the timer, the MLCI_TRIGGER parameter"
    )
    func buildKinds() throws {
        let repo = try TemporaryDirectory("jenkins")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        try Self.config.write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        for dir in ["src", "data", "models"] {
            try FileManager.default.createDirectory(atPath: repo.file(dir), withIntermediateDirectories: true)
            try "1\n".write(toFile: repo.file("\(dir)/f"), atomically: false, encoding: .utf8)
        }
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "root")
        let root = try Shell.git(repo.path, "rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try "2\n".write(toFile: repo.file("src/f"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "commit", "-qam", "code")
        try MLCIRunner.run(["generate", "jenkins"], in: repo.path).requireSuccess()
        let text = try String(contentsOfFile: repo.file("Jenkinsfile"), encoding: .utf8)
        let jenkinsfile = Block.parse(text)

        struct Build {
            let name: String
            let env: [String: String]
            let expected: Set<String>
        }
        let previous = ["GIT_PREVIOUS_SUCCESSFUL_COMMIT": root]
        let builds = [
            // deploy needs package, so it runs after it wherever cd runs.
            Build(
                name: "main, code change", env: ["BRANCH_NAME": "main"].merging(previous) { $1 },
                expected: ["lint", "test", "package", "deploy"]),
            Build(
                name: "release branch glob", env: ["BRANCH_NAME": "release/1.0"].merging(previous) { $1 },
                expected: ["lint", "test", "package", "deploy"]),
            Build(
                name: "a branch below the glob's segment",
                env: ["BRANCH_NAME": "release/1.0/x"].merging(previous) { $1 },
                expected: ["lint", "test"]),
            Build(
                name: "feature branch", env: ["BRANCH_NAME": "feature"].merging(previous) { $1 },
                expected: ["lint", "test"]),
            Build(
                name: "pull request", env: ["BRANCH_NAME": "PR-7", "CHANGE_ID": "7", "CHANGE_TARGET": "main"],
                expected: ["lint", "test"]),
            // A tag job's first build has no previous success: the plan compares with the parent.
            Build(
                name: "release tag", env: ["BRANCH_NAME": "model@v1", "TAG_NAME": "model@v1"],
                expected: ["package", "deploy"]),
            Build(name: "other tag", env: ["BRANCH_NAME": "v2", "TAG_NAME": "v2"], expected: []),
            Build(name: "timer", env: ["BRANCH_NAME": "main", "MLCI_BUILD_CAUSE": "timer"], expected: ["train"]),
            Build(
                name: "MLCI_TRIGGER parameter", env: ["BRANCH_NAME": "main", "MLCI_TRIGGER": "retrain"],
                expected: ["train"]),
            Build(name: "single-branch job", env: previous, expected: ["lint", "test", "package", "deploy"]),
        ]
        // A pull request build plans against origin/<CHANGE_TARGET>.
        try Shell.git(repo.path, "update-ref", "refs/remotes/origin/main", root)
        for build in builds {
            let env = build.env.merging(["JENKINS_URL": "http://jenkins.invalid/"]) { $1 }
            let dotenv = try MLCIRunner.run(["plan", "--format", "dotenv"], in: repo.path, environment: env)
            #expect(dotenv.status == 0, "\(build.name): \(dotenv.err)")
            var decisions = env
            for line in dotenv.out.split(separator: "\n") {
                let pair = line.split(separator: "=", maxSplits: 1).map(String.init)
                decisions[pair[0]] = pair.count > 1 ? pair[1] : ""
            }
            let run = Self.stagesRun(jenkinsfile, decisions)
            #expect(run == build.expected, "\(build.name)")
            let planned = Set(
                try PlanHelpers.affected(PlanHelpers.plan([], in: repo.path, environment: env)))
            #expect(run.isSubset(of: planned), "\(build.name): a stage ran that the plan did not choose")
        }
    }

    @Test("cron in UTC on the default branch only, shards as parallel stages, agents per stage")
    func structure() throws {
        let repo = try TemporaryDirectory("jenkins-structure")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        try Self.config.write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        try MLCIRunner.run(["generate", "jenkins"], in: repo.path).requireSuccess()
        let text = try String(contentsOfFile: repo.file("Jenkinsfile"), encoding: .utf8)
        let pipeline = try #require(Block.parse(text).child("pipeline"))
        #expect(pipeline.child("agent { label 'linux' }") != nil, "the top-level ci.jenkins.agent")
        #expect(
            text.contains(
                "cron(env.BRANCH_NAME == null || env.BRANCH_NAME == 'main' ? '''TZ=UTC\n0 3 * * 1''' : '')"))
        #expect(
            pipeline.child("parameters")?.children.first?.name.hasPrefix("string(name: 'MLCI_TRIGGER'") == true)
        let stages = try #require(pipeline.child("stages"))
        let test = try #require(stages.child("stage('test')"))
        let shards = try #require(test.child("parallel")).children
        #expect(shards.map(\.name) == (1...3).map { "stage('test (shard \($0) of 3)')" })
        for (i, shard) in shards.enumerated() {
            #expect(shard.child("environment")?.children.map(\.name) == ["MLCI_SHARD = '\(i + 1)'"])
            #expect(shard.child("steps") != nil && shard.child("agent { label 'linux' }") == nil)
        }
        #expect(test.child("environment")?.children.contains { $0.name == "MLCI_SHARDS = '3'" } == true)
        let deploy = try #require(stages.child("stage('deploy')"))
        #expect(deploy.children.contains { $0.name == "agent { label 'deploy-box' }" })
        // Another agent sets mlci up again before the stage runs.
        #expect((deploy.child("steps")?.children.count ?? 0) > 1)
        let train = try #require(stages.child("stage('train')"))
        #expect(train.children.contains { $0.name == "agent { label 'gpu && linux' }" })
        #expect(stages.child("stage('lint')")?.children.contains { $0.name.hasPrefix("agent") } == false)
    }
}
