import Foundation

@testable import MLCIGit

/// libFuzzer target: a commit-graph file (`objects/info/commit-graph`), mapped and walked as
/// merge-base does: every commit's id, parents, generation and date, and a lookup by id.
let objects: String = {
    let dir = NSTemporaryDirectory() + "mlci-fuzz-commit-graph-\(getpid())/objects"
    try? FileManager.default.createDirectory(atPath: dir + "/info", withIntermediateDirectories: true)
    return dir
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file = Data(bytes: data, count: size)
    guard (try? file.write(to: URL(fileURLWithPath: objects + "/info/commit-graph"))) != nil,
        let graph = CommitGraph.load(objectsDirectory: objects)
    else { return 0 }
    for position in 0..<min(graph.count, 4096) {
        let id = graph.id(at: position)
        _ = graph.position(of: id)
        _ = graph.generationAndDate(at: position)
        try? graph.forEachParent(of: position) { _ = graph.id(at: $0) }
    }
    return 0
}
