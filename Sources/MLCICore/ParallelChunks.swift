import Foundation

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
        let slots = Slots<T>(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            slots.set(w, body(min(w * chunk, count)..<min((w + 1) * chunk, count)))
        }
        return slots.values
    }

    /// One result slot per worker, filled under a lock.
    private final class Slots<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [T?]

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ k: Int, _ value: T) { lock.lock(); slots[k] = value; lock.unlock() }

        /// Every slot is filled once `concurrentPerform` has returned.
        var values: [T] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
    }
}
