import Foundation
import MLCIGit

public enum Shell {
    /// Runs `arguments` (first is looked up on PATH) and returns its status and output.
    /// Pinned author/committer identity and dates make every fixture commit reproducible.
    @discardableResult
    public static func run(
        _ arguments: [String], in directory: String? = nil,
        environment: [String: String] = [:], stdin: [UInt8]? = nil,
        inheritEnvironment: Bool = true
    ) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = inheritEnvironment ? ProcessInfo.processInfo.environment : [:]
        env["PATH"] = env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for (k, v) in Self.gitIdentity { env[k] = env[k] ?? v }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = stdin == nil ? FileHandle.nullDevice : inPipe
        try process.run()
        if let stdin {
            inPipe.fileHandleForWriting.write(Data(stdin))
            try? inPipe.fileHandleForWriting.close()
        }
        // Read both pipes concurrently so a chatty process cannot fill one and block.
        let errData = Locked(Data())
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            let data = errPipe.fileHandleForReading.readDataToEndOfFile()
            errData.withLock { $0 = data }
            group.leave()
        }
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus, stdout: [UInt8](outData), stderr: [UInt8](errData.value))
    }

    /// Like `run`, but throws unless the process exits 0.
    @discardableResult
    public static func ok(
        _ arguments: [String], in directory: String? = nil,
        environment: [String: String] = [:], stdin: [UInt8]? = nil
    ) throws -> ProcessResult {
        let result = try run(arguments, in: directory, environment: environment, stdin: stdin)
        guard result.status == 0 else { throw ShellError(arguments: arguments, result: result) }
        return result
    }

    /// `git -C dir ARGS`, stdout as text, throwing on failure.
    @discardableResult
    public static func git(_ dir: String, _ arguments: String...) throws -> String {
        try ok(["git", "-C", dir] + arguments).out
    }

    public static let gitIdentity: [String: String] = [
        "GIT_AUTHOR_NAME": "Fixture Author", "GIT_AUTHOR_EMAIL": "author@example.com",
        "GIT_COMMITTER_NAME": "Fixture Committer", "GIT_COMMITTER_EMAIL": "committer@example.com",
        "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
    ]
}
