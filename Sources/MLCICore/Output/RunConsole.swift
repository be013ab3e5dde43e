import Foundation

/// Shows a run as it happens: every output line prefixed with `[stage]`, start and end lines,
/// and on a terminal (when `CI` is not set) a status line at the bottom with the running stages
/// and their elapsed time, redrawn in place.
public final class RunConsole: RunObserver, @unchecked Sendable {
    private let live: Bool
    private let color: Bool
    /// Where the text goes (stdout, or stderr when stdout carries a report); called under a lock.
    private let write: (String) -> Void
    private var started: [String: Date] = [:]
    private var finished: [StageResult] = []
    private var total = 0
    private var statusShown = false
    private var timer: DispatchSourceTimer?
    private let lock = NSLock()

    /// `live`: redraw a status line (a terminal, outside CI); `color`: ANSI colours.
    public init(live: Bool, color: Bool, write: @escaping (String) -> Void) {
        self.live = live
        self.color = color
        self.write = write
    }

    private func emit(_ text: String) { write(text) }

    private func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    /// Prints a line above the status line.
    private func line(_ text: String) {
        var out = ""
        if statusShown { out += "\r\u{1B}[2K" }
        out += text + "\n"
        if live { out += statusText() }
        statusShown = live
        emit(out)
    }

    private func statusText() -> String {
        let now = Date()
        let running = started.filter { name, _ in !finished.contains { $0.stage == name } }
            .sorted { $0.value < $1.value }
            .map { "\($0.key) \(String(format: "%.0fs", now.timeIntervalSince($0.value)))" }
        let failed = finished.filter { !$0.status.isSuccess }.count
        var text =
            "\u{1B}[2K" + paint("running", "36") + ": " + (running.isEmpty ? "-" : running.joined(separator: ", "))
        text += "  |  done \(finished.count)/\(total)"
        if failed > 0 { text += ", " + paint("\(failed) failed", "31") }
        return text
    }

    public func runStarted(stages: [String]) {
        lock.lock(); defer { lock.unlock() }
        total = stages.count
        guard live else { return }
        let t = DispatchSource.makeTimerSource(queue: .global())
        t.schedule(deadline: .now() + 1, repeating: 1)
        t.setEventHandler { [weak self] in
            guard let self else { return }
            self.lock.lock(); defer { self.lock.unlock() }
            self.emit("\r" + self.statusText())
            self.statusShown = true
        }
        t.resume()
        timer = t
    }

    public func stageStarted(_ stage: String) {
        lock.lock(); defer { lock.unlock() }
        started[stage] = Date()
        line(paint("[\(stage)]", "1") + " started")
    }

    public func stageReplayed(_ stage: String, key: String) {
        lock.lock()
        defer { lock.unlock() }
        started[stage] = Date()
        line(
            paint("[\(stage)]", "1")
                + " cached: its inputs are unchanged since it passed (key \(key.prefix(12))); replaying its log")
    }

    public func stageOutput(_ stage: String, _ text: String) {
        lock.lock(); defer { lock.unlock() }
        line(paint("[\(stage)]", "2") + " " + text)
    }

    public func stageFinished(_ result: StageResult) {
        lock.lock(); defer { lock.unlock() }
        finished.append(result)
        let color = result.status.isSuccess ? "32" : (result.status == .cancelled ? "33" : "31")
        var text = paint("[\(result.stage)]", "1") + " " + paint(result.status.rawValue, color)
        if result.status != .cancelled || result.duration > 0 { text += " in " + RunReport.duration(result.duration) }
        // A note can name what the stage ran or read (a command, a path): escaped like any field.
        if let note = result.note { text += " (\(note.terminalSafe))" }
        if let rollback = result.rollback { text += "; " + rollback.rawValue }
        line(text)
    }

    public func runFinished(_ results: [StageResult], duration: Double) {
        lock.lock(); defer { lock.unlock() }
        timer?.cancel()
        timer = nil
        if statusShown { emit("\r\u{1B}[2K"); statusShown = false }
    }
}
