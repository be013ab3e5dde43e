extension ConfigLoader {
    /// Warnings for what a pull request's own code would run with: a stage that declares
    /// `secrets:` in a pipeline that runs on pull requests. A pull request from a branch of the
    /// same repository runs its own version of the stage with them (forks get no secrets on
    /// GitHub, but protected variables are the only guard on GitLab and Jenkins). Platforms
    /// warn of their own grants the same way (GitHub's write permissions).
    func warnPullRequestExposure(stages: [Stage], pipelines: [Pipeline], _ out: Collector) {
        for pipeline in pipelines where pipeline.runsOnPullRequests {
            for name in pipeline.stages {
                guard let stage = stages.first(where: { $0.name == name }) else { continue }
                if !stage.local.secrets.isEmpty {
                    out.warning(
                        "stage '\(name)' gets secrets (\(stage.local.secrets.joined(separator: ", "))) and pipeline "
                            + "'\(pipeline.name)' runs on pull requests, whose own code would run with them: move it "
                            + "to a pipeline with pull_requests: false",
                        stage.location)
                }
            }
        }
    }
}
