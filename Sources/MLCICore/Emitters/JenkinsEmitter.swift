import Foundation

/// A declarative Jenkinsfile: a Plan stage that records the JSON plan and reads the per-stage
/// decisions (and the plan's base and head, which `mlci job` reads), then one stage per mlci
/// stage (in dependency order) that runs only when affected, through `mlci job`.
public struct JenkinsEmitter {
    let config: MLCIConfig
    let templates: Templates

    public init(config: MLCIConfig, templates: Templates) {
        self.config = config
        self.templates = templates
    }

    public func render() throws -> String {
        var out = GeneratedHeader.groovy("mlci generate jenkins")
        out += "pipeline {\n"
        out += try templates.text("jenkins/options.groovy")
        out += "    stages {\n"
        out += "        stage('Plan') {\n"
        out += "            steps {\n"
        for line in try config.ci.setup ?? templates.lines("setup.sh") {
            out += "                sh \(Self.groovyString(line))\n"
        }
        out += "                withEnv([\(Self.pathWithMLCI)]) {\n"
        out += "                    sh 'mlci plan --format json > mlci-plan.json'\n"
        out += "                    archiveArtifacts artifacts: 'mlci-plan.json'\n"
        out += "                    script {\n"
        out += "                        // MLCI_AFFECTED_<STAGE>=true|false, one per line (mlci plan --format dotenv)\n"
        out +=
            "                        def decisions = sh(script: 'mlci plan --format dotenv', returnStdout: true).trim()\n"
        out += "                        for (line in decisions.split('\\n')) {\n"
        out += "                            def pair = line.split('=', 2)\n"
        out += "                            env[pair[0]] = pair.size() > 1 ? pair[1] : ''\n"
        out += "                        }\n"
        out += "                    }\n"
        out += "                }\n"
        out += "            }\n"
        out += "        }\n"
        for stage in StageGraph.order(config.stages) {
            let variable = PlanVariables.variableName(stage.name)
            out += "        stage(\(Self.groovyString(stage.name))) {\n"
            out += "            when {\n"
            out += "                beforeAgent true\n"
            out += "                expression { env.\(variable) == 'true' }\n"
            out += "            }\n"
            if let timeout = stage.timeout {
                // mlci enforces the stage's own timeout (then its rollback); this is a backstop.
                out += "            options {\n"
                out +=
                    "                timeout(time: \((timeout + 59) / 60 + GitHubEmitter.jobTimeoutMargin), unit: 'MINUTES')\n"
                out += "            }\n"
            }
            out += "            environment {\n"
            out += "                MLCI_STAGE = \(Self.groovyString(stage.name))\n"
            out += "                MLCI_HEAD_SHA = \"${env.GIT_COMMIT}\"\n"
            out += "            }\n"
            out += "            steps {\n"
            out += "                withEnv([\(Self.pathWithMLCI)]) {\n"
            out += "                    sh 'mlci job \"$MLCI_STAGE\"'\n"
            out += "                }\n"
            out += "            }\n"
            out += "        }\n"
        }
        out += "    }\n"
        out += "}\n"
        return out
    }

    /// Each `sh` step is a shell of its own, so the default set-up's PATH does not carry over:
    /// steps that call mlci run with the set-up's virtualenv prepended to PATH (Jenkins'
    /// `PATH+NAME` form).
    static let pathWithMLCI = "\"PATH+MLCI=${env.HOME}/.mlci/venv/bin\""

    /// A single-quoted Groovy string (no interpolation), or a triple-quoted one for scripts
    /// spanning lines.
    static func groovyString(_ s: String) -> String {
        let escaped = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        return s.contains("\n") ? "'''\(escaped)'''" : "'\(escaped)'"
    }
}
