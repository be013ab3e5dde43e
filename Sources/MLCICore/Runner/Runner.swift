import Foundation
import MLCIGit

/// Schedules and runs the stages the executor hands it: in dependency order, up to `jobs` at once,
/// skipping stages whose inputs have not changed since they last passed.
final class Runner: @unchecked Sendable {
    public struct StageWork: Sendable {
        public let stage: Stage
        public let parts: CacheKeyParts?
        public let cacheable: Bool

        public init(stage: Stage, parts: CacheKeyParts?, cacheable: Bool) {
            self.stage = stage
            self.parts = parts
            self.cacheable = cacheable
        }
    }

    let plan: Plan
    let work: [StageWork]
    let options: RunOptions
    let cache: CacheStore?
    let workdir: String
    let baseEnvironment: [String: String]
    let files: RunFiles
    /// Every declared secret of the config, masked in every stage's output, notes and log.
    let masker: SecretMasker

    // The state below is shared with one stage's execution (Runner+StageExecution), always under `lock`.
    let lock = NSLock()
    private let wake = DispatchSemaphore(value: 0)
    private var observers: [RunObserver] = []
    var running: [String: ChildProcess] = [:]
    /// Stages launched and not yet finished (a stage's process registers in `running` only
    /// once its thread has started it).
    private var inFlight: Set<String> = []
    private var results: [String: StageResult] = [:]
    var interrupted = false

    init(
        plan: Plan, work: [StageWork], options: RunOptions, cache: CacheStore?, workdir: String,
        environment: [String: String], files: RunFiles
    ) {
        self.plan = plan
        self.work = work
        self.options = options
        self.cache = cache
        self.workdir = workdir
        self.baseEnvironment = environment
        self.files = files
        masker = SecretMasker(config: plan.config, environment: environment)
    }

    public func add(_ observer: RunObserver) { observers.append(observer) }

    func notify(_ body: (RunObserver) -> Void) {
        lock.lock(); defer { lock.unlock() }
        for o in observers { body(o) }
    }

    /// Stops the run as Ctrl-C does: running stages' process groups are terminated, nothing
    /// new starts, and the stages not started are reported as cancelled.
    public func interrupt() {
        lock.lock()
        interrupted = true
        let processes = Array(running.values)
        lock.unlock()
        for p in processes { p.terminate(grace: options.killGrace) }
        wake.signal()
    }

    public var wasInterrupted: Bool { lock.lock(); defer { lock.unlock() }; return interrupted }

    /// Runs everything and returns one result per stage of the plan, in plan order.
    public func run() -> [StageResult] {
        let start = Date()
        let selected = Set(work.map(\.stage.name))
        let byName = Dictionary(uniqueKeysWithValues: work.map { ($0.stage.name, $0) })
        notify { $0.runStarted(stages: work.map(\.stage.name)) }

        var pending = work.map(\.stage.name)
        var stopping = false
        while true {
            lock.lock()
            let done = results
            let active = inFlight.count
            let stop = interrupted || stopping
            lock.unlock()

            if stop {
                for name in pending {
                    finish(.notRun(name, .cancelled, note: wasInterrupted ? "interrupted" : "an earlier stage failed"))
                }
                pending.removeAll()
            }
            // Stages that need a stage that did not succeed can never run.
            for name in pending {
                let stage = byName[name]!.stage
                if let failed = stage.needs.first(where: {
                    selected.contains($0) && done[$0].map { !$0.status.isSuccess } ?? false
                }) {
                    finish(.notRun(name, .cancelled, note: "needs \(failed), which did not pass"))
                    pending.removeAll { $0 == name }
                }
            }
            var started = active
            for name in pending where started < options.jobs {
                let stage = byName[name]!.stage
                let deps = (stage.needs + stage.after).filter(selected.contains)
                guard deps.allSatisfy({ done[$0] != nil }) else { continue }
                pending.removeAll { $0 == name }
                started += 1
                launch(byName[name]!)
            }
            lock.lock()
            let stillRunning = inFlight.count
            let finishedAll = results.count == work.count
            lock.unlock()
            if finishedAll { break }
            if pending.isEmpty && stillRunning == 0 { break }
            wake.wait()
            lock.lock()
            let failures = results.values.filter { !$0.status.isSuccess && $0.status != .cancelled }
            lock.unlock()
            // Fail fast: after a failure nothing new starts, but stages already running finish —
            // killing an independent training half-way would waste it and report a false failure.
            if !failures.isEmpty && !options.keepGoing && !stopping {
                stopping = true
            }
        }
        lock.lock()
        var ordered: [StageResult] = []
        for decision in plan.stages {
            if let r = results[decision.stage.name] {
                ordered.append(r)
            } else {
                ordered.append(
                    .notRun(decision.stage.name, decision.affected ? .skippedNotSelected : .skippedNotAffected))
            }
        }
        lock.unlock()
        let total = Date().timeIntervalSince(start)
        notify { $0.runFinished(ordered, duration: total) }
        return ordered
    }

    func finish(_ unmasked: StageResult) {
        var result = unmasked
        result.note = result.note.map(masker.mask)
        lock.lock()
        results[result.stage] = result
        running[result.stage] = nil
        inFlight.remove(result.stage)
        lock.unlock()
        notify { $0.stageFinished(result) }
        wake.signal()
    }

    private func launch(_ item: StageWork) {
        let name = item.stage.name
        lock.lock(); inFlight.insert(name); lock.unlock()
        let key = item.cacheable ? item.parts?.key : nil
        // A hit is replayed only once its outputs are back in place, each checked against its
        // content hash: a record that cannot be restored is a miss, and the stage runs.
        if item.cacheable, let key, let cache,
            let record = cache.lookup(stage: name, key: key, outputs: item.stage.local.outputs),
            cache.restore(record, workdir: workdir)
        {
            notify { $0.stageReplayed(name, key: key) }
            // Masked again: the record may predate a secret's declaration, or come from elsewhere.
            for line in record.log { notify { $0.stageOutput(name, masker.mask(line)) } }
            finish(
                StageResult(
                    stage: name, status: .cached, duration: 0, exitCode: 0, cacheKey: key, cacheHit: true,
                    note: nil, rollback: nil))
            return
        }
        notify { $0.stageStarted(name) }
        Thread.detachNewThread { [self] in
            self.execute(item, key: key)
        }
    }

}
