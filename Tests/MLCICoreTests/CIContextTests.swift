import MLCICore
import Testing

/// The environment is read once, by the rules the platforms' variables have always had.
@Suite("the CI context")
struct CIContextTests {
    @Test("one platform is detected, GitHub before GitLab before Jenkins; mlci's own variables are read with it")
    func detection() {
        let all = ["GITHUB_ACTIONS": "true", "GITLAB_CI": "true", "JENKINS_URL": "http://ci"]
        #expect(CIContext(environment: all).platform?.id == "github")
        #expect(CIContext(environment: all.merging(["GITHUB_ACTIONS": ""]) { $1 }).platform?.id == "gitlab")
        #expect(CIContext(environment: ["JENKINS_URL": "http://ci"]).platform?.id == "jenkins")
        #expect(CIContext(environment: ["JENKINS_URL": ""]).platform == nil)
        let own = CIContext(environment: [
            "MLCI_BASE": "", "MLCI_TRIGGER": "  ", "MLCI_ALL": "yes", "MLCI_PIPELINE": "ct",
        ])
        #expect(own.base == nil && own.trigger == nil && own.all && own.pipeline == "ct")
    }

    @Test("GITHUB_REF and CI_COMMIT_TAG name a tag anywhere; Jenkins' TAG_NAME only in a Jenkins build")
    func tags() {
        #expect(CIContext(environment: ["GITHUB_REF": "refs/tags/v1"]).tags == ["v1"])
        #expect(CIContext(environment: ["GITHUB_REF": "refs/heads/main"]).tags == [])
        #expect(CIContext(environment: ["CI_COMMIT_TAG": "model@v2"]).tags == ["model@v2"])
        #expect(CIContext(environment: ["TAG_NAME": "v1"]).tags == [])
        #expect(CIContext(environment: ["JENKINS_URL": "http://ci", "TAG_NAME": "v1"]).tags == ["v1"])
        let github = ["GITHUB_ACTIONS": "true", "JENKINS_URL": "http://ci", "TAG_NAME": "v1"]
        #expect(CIContext(environment: github).tags == [], "a GitHub build is not a Jenkins tag build")
    }

    @Test("the naming rules of every platform report in the order of the stages")
    func namingProblemsInSourceOrder() {
        let text = """
            version: 1
            stages:
              plan: {run: "true"}
              mlci-result: {run: "true"}
              Plan: {run: "true"}
              a.b: {run: "true"}
              a_b: {run: "true"}

            """
        do {
            _ = try ConfigLoader().load(text: text)
            Issue.record("clashing names loaded")
        } catch {
            let lines = error.diagnostics.compactMap(\.location?.line)
            #expect(lines == lines.sorted() && lines.count >= 4, "\(error)")
        }
    }
}
