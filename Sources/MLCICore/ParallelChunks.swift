import Foundation
import MLCIGit

/// Work over many items (classifying or serializing tens of thousands of changes) split into
/// one contiguous chunk per core. Small inputs stay on the calling thread: starting workers
/// costs more than they save below a few thousand items.
enum ParallelChunks {
    static let minimumItems = 4096

    /// `body` applied to consecutive ranges covering `0..<count`, results in range order.
    static func map<T: Sendable>(count: Int, _ body: @Sendable (Range<Int>) -> T) -> [T] {
        let workers = count < minimumItems ? 1 : min(4, ProcessInfo.processInfo.activeProcessorCount)
        guard workers > 1 else { return [body(0..<count)] }
        let chunk = (count + workers - 1) / workers
        // One result slot per worker; every slot is filled once `concurrentPerform` returns.
        let slots = Locked([T?](repeating: nil, count: workers))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let result = body(min(w * chunk, count)..<min((w + 1) * chunk, count))
            slots.withLock { $0[w] = result }
        }
        return slots.value.map { $0! }
    }
}
