import Foundation
import MLCITestSupport
import Testing
import Yams

/// The GitLab plan job's push base: with a token, the last commit where a push pipeline of the
/// branch succeeded, asked of GitLab's pipelines API (here a local server answering as GitLab
/// does, on 127.0.0.1, over https with a certificate made for the test), and handed to mlci as
/// MLCI_BASE; without one, mlci's own rule. The lookup's answer is attacked: tag pipelines named
/// like the branch, a redirect to another host, plain http, and a sha that is not a commit id.
@Suite("GitLab push base")
struct GitLabPushBaseTests {
    /// A stand-in for GitLab's pipelines API. argv[1] is a JSON file: `pipelines` (newest last;
    /// each with id, sha, ref, tag, status, source), optional `redirect` (answer every request with
    /// a 302 there), optional `tls` ([cert, key]), and `log` (each request's path and token, one
    /// JSON line). Filters as GitLab does: ref, status, source, scope=branches|tags, per_page.
    static let server = """
        import http.server, json, os, ssl, sys, urllib.parse
        # Close every descriptor inherited past stdio: a pipe another test's process was spawned
        # with at the same moment must not stay open here, or that test waits for an EOF forever.
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        conf = json.load(open(sys.argv[1]))
        class Pipelines(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with open(conf["log"], "a") as log:
                    log.write(json.dumps({"path": self.path, "token": self.headers.get("PRIVATE-TOKEN")}) + "\\n")
                if conf.get("redirect"):
                    self.send_response(302)
                    self.send_header("Location", conf["redirect"])
                    self.end_headers()
                    return
                url = urllib.parse.urlparse(self.path)
                q = dict(urllib.parse.parse_qsl(url.query))
                runs = []
                if self.headers.get("PRIVATE-TOKEN") == "read-api-token" and url.path == "/api/v4/projects/7/pipelines":
                    for p in sorted(conf["pipelines"], key=lambda p: -p["id"]):
                        if "ref" in q and p["ref"] != q["ref"]: continue
                        if "status" in q and p["status"] != q["status"]: continue
                        if "source" in q and p["source"] != q["source"]: continue
                        if q.get("scope") == "branches" and p["tag"]: continue
                        if q.get("scope") == "tags" and not p["tag"]: continue
                        runs.append({k: p[k] for k in ("id", "sha", "ref", "status", "source")})
                    runs = runs[: int(q.get("per_page", "20"))]
                body = json.dumps(runs).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        server = http.server.HTTPServer(("127.0.0.1", 0), Pipelines)
        if conf.get("tls"):
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*conf["tls"])
            server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """

    /// A running stand-in server; stopped when the value is released.
    ///
    /// It is started in the background by a shell, not as a Foundation `Process` child: Foundation's
    /// process monitor on Linux blocks in `wait4` on a child that outlives its siblings, and every
    /// other test's `waitUntilExit` then waits for this server to end.
    final class StandIn {
        let pid: Int32
        let port: String
        let log: String

        init(in dir: TemporaryDirectory, name: String, pipelines: [[String: Any]], redirect: String? = nil, tls: Bool)
            throws
        {
            log = dir.file("\(name).log")
            var conf: [String: Any] = ["pipelines": pipelines, "log": log]
            if let redirect { conf["redirect"] = redirect }
            if tls { conf["tls"] = [dir.file("cert.pem"), dir.file("key.pem")] }
            let confFile = dir.file("\(name).json")
            let portFile = dir.file("\(name).port")
            try JSONSerialization.data(withJSONObject: conf).write(to: URL(fileURLWithPath: confFile))
            let started = try Shell.ok(
                [
                    "bash", "-c", #"python3 -c "$1" "$2" >"$3" 2>&1 </dev/null & echo $!"#, "server",
                    GitLabPushBaseTests.server, confFile, portFile,
                ])
            pid = Int32(started.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            var answer = ""
            for _ in 0..<200 where answer.isEmpty {
                let text = (try? String(contentsOfFile: portFile, encoding: .utf8)) ?? ""
                if text.hasSuffix("\n") {
                    answer = text.trimmingCharacters(in: .whitespacesAndNewlines)
                } else {
                    usleep(25_000)
                }
            }
            port = answer
        }

        /// Each request the server received: its path and the PRIVATE-TOKEN it carried.
        var requests: [[String: Any]] {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }

        // SIGKILL: the test runner's threads block SIGTERM, and a child inherits that mask.
        deinit {
            if pid > 0 { kill(pid, SIGKILL) }
        }
    }

    /// A self-signed certificate for 127.0.0.1 (the stand-in's https), trusted through SSL_CERT_FILE.
    static func makeCertificate(in dir: TemporaryDirectory) throws {
        try Shell.ok([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir.file("key.pem"), "-out", dir.file("cert.pem"),
        ])
    }

    /// The plan job's script line that looks the base up, from the generated .gitlab-ci.yml.
    static func lookupLine(_ repo: String) throws -> String {
        try MLCIRunner.run(["generate", "gitlab"], in: repo).requireSuccess()
        let doc = try #require(
            try Yams.load(yaml: String(contentsOfFile: repo + "/.gitlab-ci.yml", encoding: .utf8)) as? [String: Any])
        let script = try #require((doc["mlci-plan"] as? [String: Any])?["script"] as? [String])
        return try #require(script.first { $0.contains("MLCI_GITLAB_TOKEN") })
    }

    /// The generate-mlops repository with `extra` more commits, and the sha of HEAD~n for each n.
    static func repository(extraCommits extra: Int) throws -> (TemporaryDirectory, (Int) throws -> String) {
        let repo = try FixtureRepository.build("generate-mlops")
        for i in 0..<extra {
            try "more \(i)\n".write(toFile: repo.file("NOTES.md"), atomically: false, encoding: .utf8)
            try Shell.git(repo.path, "add", "NOTES.md")
            try Shell.git(repo.path, "commit", "-qm", "commit \(i)")
        }
        return (
            repo,
            { n in try Shell.git(repo.path, "rev-parse", "HEAD~\(n)").trimmingCharacters(in: .whitespacesAndNewlines) }
        )
    }

    /// Runs the lookup line then `mlci plan --format json` as the plan job does; the plan's base.
    static func plannedBase(_ repo: TemporaryDirectory, api: String, before: String, certificates: String?)
        throws -> (base: [String: Any], stderr: String)
    {
        let mlciDir = (FixturePaths.mlciBinary as NSString).deletingLastPathComponent
        var env = [
            "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main", "CI_PROJECT_ID": "7", "GITLAB_CI": "true",
            "CI_COMMIT_BEFORE_SHA": before, "PATH": mlciDir + ":/usr/local/bin:/usr/bin:/bin",
            "CI_API_V4_URL": api, "MLCI_GITLAB_TOKEN": "read-api-token",
        ]
        if let certificates { env["SSL_CERT_FILE"] = certificates }
        let script = "\(try lookupLine(repo.path))\nmlci plan --format json"
        let run = try Shell.run(["bash", "-c", script], in: repo.path, environment: env)
        #expect(run.status == 0, "\(run.err)")
        let planned = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout)) as? [String: Any])
        return (try #require(planned["base"] as? [String: Any]), run.err)
    }

    static func pipeline(_ id: Int, _ sha: String, tag: Bool = false) -> [String: Any] {
        ["id": id, "sha": sha, "ref": "main", "tag": tag, "status": "success", "source": "push"]
    }

    @Test(
        "with MLCI_GITLAB_TOKEN the plan starts at the last successful push pipeline; without it at CI_COMMIT_BEFORE_SHA"
    )
    func lastSuccessfulPipeline() throws {
        let (repo, sha) = try Self.repository(extraCommits: 1)
        try Self.makeCertificate(in: repo)
        let lastGreen = try sha(2), before = try sha(1)
        let api = try StandIn(in: repo, name: "api", pipelines: [Self.pipeline(41, lastGreen)], tls: true)
        #expect(Int(api.port) != nil, "the local API server did not start: \(api.port)")
        let url = "https://127.0.0.1:\(api.port)/api/v4"

        let withToken = try Self.plannedBase(repo, api: url, before: before, certificates: repo.file("cert.pem"))
        #expect(withToken.base["sha"] as? String == lastGreen, "\(withToken)")
        #expect(withToken.base["source"] as? String == "MLCI_BASE (gitlab:last-successful-pipeline)")
        #expect(api.requests.first?["token"] as? String == "read-api-token")

        let line = try Self.lookupLine(repo.path)
        let mlciDir = (FixturePaths.mlciBinary as NSString).deletingLastPathComponent
        let withoutToken = try Shell.run(
            ["bash", "-c", "\(line)\nmlci plan --format json"], in: repo.path,
            environment: [
                "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main", "CI_PROJECT_ID": "7", "GITLAB_CI": "true",
                "CI_COMMIT_BEFORE_SHA": before, "PATH": mlciDir + ":/usr/local/bin:/usr/bin:/bin", "CI_API_V4_URL": url,
            ])
        let fallback = try #require(
            (try JSONSerialization.jsonObject(with: Data(withoutToken.stdout)) as? [String: Any])?["base"]
                as? [String: Any])
        #expect(fallback["sha"] as? String == before && fallback["source"] as? String == "gitlab:push", "\(fallback)")
    }

    @Test("a newer successful tag pipeline named like the branch does not become the push base")
    func tagPipelineNamedLikeTheBranch() throws {
        let (repo, sha) = try Self.repository(extraCommits: 2)
        try Self.makeCertificate(in: repo)
        let lastGreen = try sha(2), before = try sha(1), old = try sha(3)
        // A tag `main` pushed on an old commit: its pipeline holds only the plan job and succeeds.
        let api = try StandIn(
            in: repo, name: "api", pipelines: [Self.pipeline(41, lastGreen), Self.pipeline(50, old, tag: true)],
            tls: true)
        let planned = try Self.plannedBase(
            repo, api: "https://127.0.0.1:\(api.port)/api/v4", before: before, certificates: repo.file("cert.pem"))
        #expect(planned.base["sha"] as? String == lastGreen, "\(planned)")
        let path = try #require(api.requests.first?["path"] as? String)
        #expect(path.contains("scope=branches"), "\(path)")
    }

    @Test("a redirect to another host does not receive the token, and the plan falls back to the push's range")
    func redirectKeepsTheToken() throws {
        let (repo, sha) = try Self.repository(extraCommits: 1)
        try Self.makeCertificate(in: repo)
        let before = try sha(1)
        // The collector stands for another host (plain http on localhost, which urllib would follow to).
        let collector = try StandIn(in: repo, name: "collector", pipelines: [Self.pipeline(41, try sha(2))], tls: false)
        let api = try StandIn(
            in: repo, name: "api", pipelines: [],
            redirect: "http://localhost:\(collector.port)/api/v4/projects/7/pipelines?ref=main", tls: true)
        let planned = try Self.plannedBase(
            repo, api: "https://127.0.0.1:\(api.port)/api/v4", before: before, certificates: repo.file("cert.pem"))
        #expect(api.requests.count == 1)
        #expect(collector.requests.isEmpty, "the redirect target received \(collector.requests)")
        #expect(planned.base["sha"] as? String == before && planned.base["source"] as? String == "gitlab:push")
        #expect(planned.stderr.contains("redirect"), "\(planned.stderr)")
    }

    @Test("an http:// API URL is refused before the token is sent")
    func plainHTTPIsRefused() throws {
        let (repo, sha) = try Self.repository(extraCommits: 1)
        let before = try sha(1)
        let api = try StandIn(in: repo, name: "api", pipelines: [Self.pipeline(41, try sha(2))], tls: false)
        let planned = try Self.plannedBase(
            repo, api: "http://127.0.0.1:\(api.port)/api/v4", before: before, certificates: nil)
        #expect(api.requests.isEmpty, "the token went over http: \(api.requests)")
        #expect(planned.base["sha"] as? String == before && planned.base["source"] as? String == "gitlab:push")
        #expect(planned.stderr.contains("not https"), "\(planned.stderr)")
    }

    @Test("an answer whose sha is not a commit id (HEAD) is not taken as the base")
    func shaMustBeACommitID() throws {
        let (repo, sha) = try Self.repository(extraCommits: 1)
        try Self.makeCertificate(in: repo)
        let before = try sha(1)
        let api = try StandIn(in: repo, name: "api", pipelines: [Self.pipeline(41, "HEAD")], tls: true)
        let planned = try Self.plannedBase(
            repo, api: "https://127.0.0.1:\(api.port)/api/v4", before: before, certificates: repo.file("cert.pem"))
        #expect(api.requests.count == 1)
        #expect(planned.base["sha"] as? String == before && planned.base["source"] as? String == "gitlab:push")
        #expect(planned.stderr.contains("not a commit id"), "\(planned.stderr)")
    }

    /// GitHub's lookup (through gh, here a stand-in `gh` that answers as the API would) takes only
    /// a full commit id: `HEAD` leaves MLCI_BASE unset, a real sha sets it.
    @Test("GitHub's last-successful-run lookup refuses a sha that is not a commit id")
    func githubShaMustBeACommitID() throws {
        let (repo, sha) = try Self.repository(extraCommits: 1)
        try MLCIRunner.run(["generate", "github"], in: repo.path).requireSuccess()
        let workflow = try #require(
            try Yams.load(
                yaml: String(contentsOfFile: repo.file(".github/workflows/mlci-ci.yml"), encoding: .utf8))
                as? [String: Any])
        let steps = try #require(((workflow["jobs"] as? [String: Any])?["plan"] as? [String: Any])?["steps"] as? [Any])
        let script = try #require(
            steps.compactMap { ($0 as? [String: Any])?["run"] as? String }.first { $0.contains("gh run list") })
        let bin = repo.file("fake-bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        for (answer, expected) in [("HEAD", nil), (try sha(2), try sha(2))] {
            try "#!/bin/sh\necho '\(answer)'\n".write(toFile: bin + "/gh", atomically: false, encoding: .utf8)
            try Shell.ok(["chmod", "+x", bin + "/gh"])
            let envFile = repo.file("github-env")
            try "".write(toFile: envFile, atomically: false, encoding: .utf8)
            let run = try Shell.run(
                ["bash", "-c", script], in: repo.path,
                environment: [
                    "PATH": bin + ":/usr/local/bin:/usr/bin:/bin", "GITHUB_ENV": envFile, "GITHUB_REF_NAME": "main",
                ])
            #expect(run.status == 0, "\(run.err)")
            let written = try String(contentsOfFile: envFile, encoding: .utf8)
            if let expected {
                #expect(written.contains("MLCI_BASE=\(expected)\n"), "\(written)")
            } else {
                #expect(!written.contains("MLCI_BASE="), "answer \(answer) became \(written)")
                #expect(run.err.contains("not a commit id"), "\(run.err)")
            }
        }
    }
}
