import Foundation
import MLCICore

/// Everything the CLI prints goes through here, so stdout is written in large blocks and
/// colour is decided in one place.
enum Output {
    nonisolated(unsafe) private static var buffer: [UInt8] = []
    nonisolated(unsafe) private static var parked: [Any] = []
    /// Set once workflow commands are stopped (GitHub mode): the end line is still owed.
    nonisolated(unsafe) private static var stop: WorkflowCommandStop?

    /// GitHub mode: the stop line goes out now, before anything from the repository or a stage,
    /// and the end line at exit (`finish`). Until then stderr's text goes to stdout too: the
    /// runner reads the two pipes apart, so a line on stderr could otherwise reach it before
    /// the stop line or after the end line.
    static func stopWorkflowCommands() {
        guard stop == nil else { return }
        let s = WorkflowCommandStop()
        stop = s
        writeNow(s.start)
    }

    /// Flushes what is buffered and, in GitHub mode, resumes workflow commands: the last line
    /// mlci writes.
    static func finish() {
        flush()
        guard let s = stop else { return }
        stop = nil
        writeAll(Array(s.end.utf8))
    }

    /// Keeps a large value alive until the process exits, so it is never freed piecemeal.
    static func keepUntilExit(_ value: Any) { parked.append(value) }

    static func write(_ bytes: [UInt8]) {
        // A large piece goes out as it is rather than through a copy.
        if bytes.count >= 1 << 16 {
            flush()
            writeAll(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count > 1 << 16 { flush() }
    }

    static func write(_ text: String) {
        write(Array(text.utf8))
    }

    /// Writes and flushes at once: live progress must not wait for the buffer.
    static func writeNow(_ text: String) {
        write(text)
        flush()
    }

    static func flush() {
        guard !buffer.isEmpty else { return }
        writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private static func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; break }
                offset += n
            }
        }
    }

    /// `mlci: error: MESSAGE` on stderr, in red when stderr is a terminal. The message names
    /// paths and values from the repository: it is one line, escaped (`terminalSafe`), and the
    /// colour is added after.
    static func error(_ message: String) {
        flush()
        let prefix = stderrIsColorTerminal ? "\u{1B}[31mmlci: error:\u{1B}[0m " : "mlci: error: "
        errorRaw(prefix + message.terminalSafe + "\n")
    }

    static func warning(_ message: String) {
        flush()
        let prefix = stderrIsColorTerminal ? "\u{1B}[33mmlci: warning:\u{1B}[0m " : "mlci: warning: "
        errorRaw(prefix + message.terminalSafe + "\n")
    }

    /// `file:line:column: error: message`, the form editors and CI annotations recognise.
    static func diagnostic(_ d: Diagnostic) {
        flush()
        errorRaw(d.rendered(color: stderrIsColorTerminal) + "\n")
    }

    static func errorRaw(_ text: String) {
        if stop != nil { return writeNow(text) }
        FileHandle.standardError.write(Data(text.utf8))
    }

    static var stdoutIsColorTerminal: Bool { isColorTerminal(STDOUT_FILENO) }
    static var stderrIsColorTerminal: Bool { isColorTerminal(stop == nil ? STDERR_FILENO : STDOUT_FILENO) }

    /// Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
    private static func isColorTerminal(_ fd: Int32) -> Bool {
        isatty(fd) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }
}
