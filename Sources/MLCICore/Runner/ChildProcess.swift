import CProcess
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One running process (a stage's shell command, or git) in its own process group, its output read line by line.
/// The only place mlci starts processes. Killing it kills the whole group, so a stage's own
/// children go too and nothing is left behind.
public final class ChildProcess: @unchecked Sendable {
    public enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        /// The command could not be started at all.
        case failedToStart(String)
    }

    public let pid: pid_t
    private let readHandle: Int32
    private let lock = NSLock()
    private var killed = false

    /// Starts `sh -c command` in `directory`: a stage's `run:` line, which is shell by design.
    /// Each complete output line (stdout and stderr together, in order) goes to `onLine`,
    /// without its newline; bytes that are not UTF-8 are repaired; a line longer than 64 KiB
    /// is delivered in pieces.
    public convenience init(command: String, directory: String, environment: [String: String]) throws {
        try self.init(
            executable: "/bin/sh", arguments: ["/bin/sh", "-c", command], directory: directory,
            environment: environment)
    }

    /// Starts a program with an argument array: no shell sees the arguments, so paths and
    /// revisions holding quotes or `$(…)` are passed as they are. `program` is looked up on
    /// the environment's PATH unless it contains a slash.
    public convenience init(
        program: String, arguments: [String], directory: String,
        environment: [String: String]
    ) throws {
        guard let executable = Self.lookUp(program, path: environment["PATH"]) else {
            throw RunError.notOnPath(program: program)
        }
        try self.init(
            executable: executable, arguments: [program] + arguments, directory: directory,
            environment: environment)
    }

    private init(executable: String, arguments: [String], directory: String, environment: [String: String]) throws {
        var fds: [Int32] = [0, 0]
        guard mlci_pipe_cloexec(&fds) == 0 else {
            throw RunError.cannotCreatePipe(reason: String(cString: strerror(errno)))
        }
        let envp = environment.map { "\($0.key)=\($0.value)" }.sorted()
        var pid: pid_t = 0
        let rc = withCStrings(arguments) { argvPtr in
            withCStrings(envp) { envPtr in
                mlci_spawn(executable, argvPtr, envPtr, directory, fds[1], &pid)
            }
        }
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            throw RunError.cannotStart(
                executable: executable, directory: directory, reason: String(cString: strerror(rc)))
        }
        self.pid = pid
        readHandle = fds[0]
    }

    /// The first executable `name` in the directories of `path` (or `name` itself with a slash).
    static func lookUp(_ name: String, path: String?) -> String? {
        if name.contains("/") { return name }
        for dir in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = dir + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Waits for the process to exit while another thread reads its output. When it is
    /// gone, whatever it left running in its process group is killed: a background child that
    /// still holds the output open must not keep the stage alive. Blocks; `onLine` is called
    /// from the reading thread.
    public func wait(onLine: @escaping @Sendable (String) -> Void) -> Ending {
        wait { bytes, endsLine, afterPiece in
            // The end of a line split into pieces is not a line of its own.
            if endsLine && afterPiece && bytes.isEmpty { return }
            onLine(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// As `wait(onLine:)`, with the raw bytes of each piece: a line longer than 64 KiB comes in
    /// pieces (split between UTF-8 sequences) with `endsLine` false; the piece that ends it
    /// has `endsLine` true — empty, with `afterPiece` true, when the output ended right after
    /// a piece.
    public func wait(onOutput: @escaping @Sendable (_ bytes: [UInt8], _ endsLine: Bool, _ afterPiece: Bool) -> Void)
        -> Ending
    {
        let done = DispatchSemaphore(value: 0)
        let fd = readHandle
        Thread.detachNewThread {
            Self.readLines(fd, onOutput)
            close(fd)
            done.signal()
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { break }
        }
        kill(-pid, SIGKILL)
        done.wait()
        if status & 0x7f == 0 { return .exited((status >> 8) & 0xff) }
        return .signalled(status & 0x7f)
    }

    static let pieceSize = 65536

    static func readLines(_ fd: Int32, _ onOutput: ([UInt8], Bool, Bool) -> Void) {
        var pending = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: pieceSize)
        var inPiece = false
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, pieceSize) }
            if n < 0 { if errno == EINTR { continue }; break }
            if n == 0 { break }
            pending.append(contentsOf: buffer[0..<n])
            var start = 0
            while let newline = pending[start...].firstIndex(of: 0x0a) {
                onOutput(Array(pending[start..<newline]), true, inPiece)
                inPiece = false
                start = newline + 1
            }
            pending.removeFirst(start)
            if pending.count > pieceSize {
                let cut = Self.characterBoundary(pending)
                onOutput(Array(pending[..<cut]), false, inPiece)
                inPiece = true
                pending.removeFirst(cut)
            }
        }
        if !pending.isEmpty || inPiece { onOutput(pending, true, inPiece) }
    }

    /// Where to split `bytes` so that a UTF-8 sequence at the end is not cut in two: before an
    /// incomplete sequence, else at the end.
    static func characterBoundary(_ bytes: [UInt8]) -> Int {
        var j = bytes.count - 1
        while j > 0, j > bytes.count - 4, bytes[j] & 0xC0 == 0x80 { j -= 1 }
        guard j > 0, bytes[j] >= 0xC0 else { return bytes.count }
        let needed = bytes[j] < 0xE0 ? 2 : bytes[j] < 0xF0 ? 3 : 4
        return j + needed > bytes.count ? j : bytes.count
    }

    /// TERM to the whole process group, then KILL after `grace` seconds if anything remains.
    public func terminate(grace: Double = 2.0) {
        lock.lock()
        let first = !killed
        killed = true
        lock.unlock()
        guard first else { return }
        kill(-pid, SIGTERM)
        let group = pid
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
            kill(-group, SIGKILL)
        }
    }

    public var wasTerminated: Bool {
        lock.lock(); defer { lock.unlock() }
        return killed
    }
}

/// Calls `body` with a NULL-terminated C array of the strings.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
