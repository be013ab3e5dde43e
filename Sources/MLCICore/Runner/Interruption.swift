import Foundation

/// While work is going, SIGINT, SIGTERM and SIGHUP stop it instead of killing mlci at once:
/// whatever was registered runs (the runner terminates every stage's process group), and the
/// caller still removes its scratch worktree and prints its summary. A hook killed with its
/// terminal (SIGHUP) leaves nothing behind.
public final class Interruption: @unchecked Sendable {
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var fired: Int32?
    private var handlers: [@Sendable () -> Void] = []

    /// Starts catching the signals.
    public init() {
        for sig in Self.signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in self?.fire(sig) }
            source.resume()
            sources.append(source)
        }
    }

    /// The signal that arrived, if one did.
    public var received: Int32? { lock.lock(); defer { lock.unlock() }; return fired }

    /// Runs `handler` when a signal arrives, or at once when one already has.
    public func onSignal(_ handler: @escaping @Sendable () -> Void) {
        lock.lock()
        let already = fired != nil
        if !already { handlers.append(handler) }
        lock.unlock()
        if already { handler() }
    }

    private func fire(_ sig: Int32) {
        lock.lock()
        if fired == nil { fired = sig }
        let run = handlers
        lock.unlock()
        for handler in run { handler() }
    }

    /// Stops catching: the signals act as usual again.
    public func stop() {
        for s in sources { s.cancel() }
        sources.removeAll()
        for sig in Self.signals { signal(sig, SIG_DFL) }
    }

    deinit { stop() }
}
