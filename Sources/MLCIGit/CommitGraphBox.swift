import CLibgit2
import Foundation

final class CommitGraphBox {
    let graph: CommitGraph?
    init(graph: CommitGraph?) { self.graph = graph }
}
