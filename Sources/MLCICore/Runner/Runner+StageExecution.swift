import Foundation
import MLCIGit

/// One stage's execution, on the thread the scheduler launched it on: its environment, its
/// command (under its timeout), its rollback, and its cache record.
extension Runner {
    func environment(for stage: Stage) -> [String: String] {
        var env = baseEnvironment
        for (k, v) in stage.local.env { env[k] = v }
        // A stage never sees the key cache records are signed with: it could sign anything.
        env[CacheStore.signatureKeyVariable] = nil
        env[StageJobEnvironment.stage] = stage.name
        env[StageJobEnvironment.baseSHA] = plan.base.sha?.hex ?? ""
        env[StageJobEnvironment.headSHA] = plan.head?.hex ?? ""
        env[StageJobEnvironment.changedFiles] = files.changedFiles
        env[StageJobEnvironment.changedFiles0] = files.changedFiles0
        if stage.dvc != nil {
            env[StageJobEnvironment.dvcStages] = plan.invalidatedDVCTargets(for: stage).joined(separator: " ")
        }
        if let list = files.stageFiles[stage.name] { env[StageJobEnvironment.stageFiles] = list }
        if let list = files.stageFiles0[stage.name] { env[StageJobEnvironment.stageFiles0] = list }
        if let shard = options.shard {
            env[StageJobEnvironment.shard] = String(shard.index)
            env[StageJobEnvironment.shards] = String(shard.count)
            if let list = files.shardFiles[stage.name] { env[StageJobEnvironment.shardFiles] = list }
            if let list = files.shardFiles0[stage.name] { env[StageJobEnvironment.shardFiles0] = list }
        }
        return env
    }

    func execute(_ item: StageWork, key: String?) {
        let stage = item.stage
        let env = environment(for: stage)
        let directory = workdir + (stage.local.dir ?? "")
        let started = Date()
        let log = Locked([String]())
        var result = StageResult(
            stage: stage.name, status: .failed, duration: 0, exitCode: nil, cacheKey: key, cacheHit: false,
            note: nil, rollback: nil)
        let ending = runCommand(
            stage.run, name: stage.name, label: stage.name, directory: directory, env: env,
            timeout: [stage.timeout, options.timeout].compactMap { $0 }.min(), log: log)
        result.duration = Date().timeIntervalSince(started)
        switch ending {
        case .exited(0, _): result.status = .passed; result.exitCode = 0
        case .exited(let code, let terminated):
            result.exitCode = code
            result.status = terminated ? .cancelled : .failed
            if code == 127 {
                result.note = "command not found (exit 127)"
            } else if code == 126 {
                result.note = "command not executable (exit 126)"
            }
        case .signalled(let signal, let terminated):
            result.status = terminated ? .cancelled : .failed
            result.note = "killed by signal \(signal)"
        case .timedOut(let seconds):
            result.status = .timedOut
            result.note = "timed out after \(seconds)s; its process group was killed"
        case .notStarted(let message):
            result.note = message
        }
        if result.status == .cancelled, !wasInterrupted { result.note = "stopped because another stage failed" }
        if result.status == .cancelled, wasInterrupted { result.note = "interrupted" }

        if result.status == .passed, item.cacheable, let parts = item.parts, let cache {
            do {
                try cache.store(
                    stage: stage.name, parts: parts, duration: result.duration, log: log.value,
                    outputs: stage.local.outputs, workdir: workdir)
            } catch {
                result.status = .failed
                result.note = "\(error)"
            }
        }
        if result.status == .failed || result.status == .timedOut, let rollback = stage.rollback {
            let outcome = runCommand(
                rollback, name: stage.name, label: stage.name + " rollback", directory: directory, env: env,
                timeout: options.timeout, log: Locked([String]()))
            if case .exited(0, _) = outcome { result.rollback = .rolledBack } else { result.rollback = .rollbackFailed }
        }
        finish(result)
    }

    enum CommandEnding {
        case exited(Int32, terminated: Bool)
        case signalled(Int32, terminated: Bool)
        case timedOut(Int)
        case notStarted(String)
    }

    func runCommand(
        _ command: String, name: String, label: String, directory: String, env: [String: String],
        timeout: Int?, log: Locked<[String]>
    ) -> CommandEnding {
        let process: ChildProcess
        do {
            process = try ChildProcess(command: command, directory: directory, environment: env)
        } catch {
            return .notStarted("\(error)")
        }
        lock.lock()
        running[name] = process
        let alreadyStopping = interrupted
        lock.unlock()
        if alreadyStopping { process.terminate(grace: options.killGrace) }
        let timer = Locked((fired: false, finished: false))
        if let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(timeout)) {
                let fire = timer.withLock { state in
                    if !state.finished { state.fired = true }
                    return state.fired
                }
                if fire { process.terminate(grace: self.options.killGrace) }
            }
        }
        let stream = SecretMasker.Stream(masker)
        let ending = process.wait { [self] bytes, endsLine, afterPiece in
            // The empty end of a line already sent in pieces is not a line of its own.
            guard let line = stream.feed(bytes, endsLine: endsLine), !(line.isEmpty && afterPiece) else { return }
            log.withLock { $0.append(line) }
            self.notify { $0.stageOutput(label, line) }
        }
        if timer.withLock({
            $0.finished = true; return $0.fired
        }) {
            return .timedOut(timeout ?? 0)
        }
        let terminated = process.wasTerminated
        switch ending {
        case .exited(let code): return .exited(code, terminated: terminated)
        case .signalled(let signal): return .signalled(signal, terminated: terminated)
        case .failedToStart(let message): return .notStarted(message)
        }
    }
}
