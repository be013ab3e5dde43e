import Foundation
import MLCITestSupport
import Testing
import Yams

/// The GitLab plan job's push base: with a token, the last commit where a push pipeline of the
/// branch succeeded, asked of GitLab's pipelines API (here a local HTTP server answering as
/// GitLab does, on 127.0.0.1), and handed to mlci as MLCI_BASE; without one, mlci's own rule.
@Suite("GitLab push base")
struct GitLabPushBaseTests {
    /// Serves one request: the pipelines of project 7 on ref main, when the token is right.
    static let server = """
        import http.server, json, sys
        sha = sys.argv[1]
        class Pipelines(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                ok = (self.headers.get("PRIVATE-TOKEN") == "read-api-token"
                      and self.path.startswith("/api/v4/projects/7/pipelines?")
                      and "ref=main" in self.path and "status=success" in self.path and "source=push" in self.path)
                body = json.dumps([{"id": 41, "sha": sha, "ref": "main", "status": "success"}] if ok else []).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        server = http.server.HTTPServer(("127.0.0.1", 0), Pipelines)
        print(server.server_address[1], flush=True)
        server.handle_request()
        """

    /// The plan job's script line that looks the base up, from the generated .gitlab-ci.yml.
    static func lookupLine(_ repo: String) throws -> String {
        try MLCIRunner.run(["generate", "gitlab"], in: repo).requireSuccess()
        let doc = try #require(
            try Yams.load(yaml: String(contentsOfFile: repo + "/.gitlab-ci.yml", encoding: .utf8)) as? [String: Any])
        let script = try #require((doc["mlci-plan"] as? [String: Any])?["script"] as? [String])
        return try #require(script.first { $0.contains("MLCI_GITLAB_TOKEN") })
    }

    @Test(
        "with MLCI_GITLAB_TOKEN the plan starts at the last successful push pipeline; without it at CI_COMMIT_BEFORE_SHA"
    )
    func lastSuccessfulPipeline() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        try "more\n".write(toFile: repo.file("NOTES.md"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "add", "NOTES.md")
        try Shell.git(repo.path, "commit", "-qm", "a third commit")
        let line = try Self.lookupLine(repo.path)
        let lastGreen = try Shell.git(repo.path, "rev-parse", "HEAD~2").trimmingCharacters(in: .whitespacesAndNewlines)
        let before = try Shell.git(repo.path, "rev-parse", "HEAD~1").trimmingCharacters(in: .whitespacesAndNewlines)
        let mlciDir = (FixturePaths.mlciBinary as NSString).deletingLastPathComponent
        let script = "\(line)\nmlci plan --format json"
        var env = [
            "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main", "CI_PROJECT_ID": "7", "GITLAB_CI": "true",
            "CI_COMMIT_BEFORE_SHA": before, "PATH": mlciDir + ":/usr/local/bin:/usr/bin:/bin",
        ]

        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", "-c", Self.server, lastGreen]
        let out = Pipe()
        server.standardOutput = out
        try server.run()
        defer { server.terminate() }
        let port = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Int(port) != nil, "the local API server did not start: \(port)")
        env["CI_API_V4_URL"] = "http://127.0.0.1:\(port)/api/v4"
        env["MLCI_GITLAB_TOKEN"] = "read-api-token"
        let withToken = try Shell.run(["bash", "-c", script], in: repo.path, environment: env)
        #expect(withToken.status == 0, "\(withToken.err)")
        let planned = try #require(try JSONSerialization.jsonObject(with: Data(withToken.stdout)) as? [String: Any])
        let base = try #require(planned["base"] as? [String: Any])
        #expect(base["sha"] as? String == lastGreen, "\(base)")
        #expect(base["source"] as? String == "MLCI_BASE (gitlab:last-successful-pipeline)")

        env["MLCI_GITLAB_TOKEN"] = nil
        let withoutToken = try Shell.run(["bash", "-c", script], in: repo.path, environment: env)
        let fallback = try #require(
            (try JSONSerialization.jsonObject(with: Data(withoutToken.stdout)) as? [String: Any])?["base"]
                as? [String: Any])
        #expect(fallback["sha"] as? String == before && fallback["source"] as? String == "gitlab:push", "\(fallback)")
    }
}
