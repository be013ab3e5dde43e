#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// git's commit-graph file (`objects/info/commit-graph`, or the split chain under
/// `objects/info/commit-graphs/`), read directly: libgit2 1.5 does not use it for merge-base,
/// and walking parsed commit objects is an order of magnitude slower than reading this index.
/// Format: gitformat-commit-graph(5). Anything unexpected makes `load` return nil, and callers
/// fall back to libgit2.
final class CommitGraph {
    /// One file of the chain (or the single file), with its commits at global positions
    /// `offset ..< offset + count`.
    private struct Layer {
        let data: Data
        /// The mapped bytes; valid as long as `data` (held by this layer) lives.
        let bytes: UnsafePointer<UInt8>
        let offset: Int
        let count: Int
        let fanout: Int      // byte offsets of the chunks in `data`
        let oids: Int
        let commitData: Int
        let extraEdges: Int?
    }

    private let layers: [Layer]
    let count: Int

    static let noParent: UInt32 = 0x7000_0000

    private init(layers: [Layer]) {
        self.layers = layers
        count = layers.last.map { $0.offset + $0.count } ?? 0
    }

    /// Loads the graph of a repository's object directory; nil when there is none or it is invalid.
    static func load(objectsDirectory: String) -> CommitGraph? {
        let single = objectsDirectory + "/info/commit-graph"
        let chainDir = objectsDirectory + "/info/commit-graphs"
        var files: [String] = []
        if let chain = try? String(contentsOfFile: chainDir + "/commit-graph-chain", encoding: .utf8) {
            files = chain.split(separator: "\n").map { chainDir + "/graph-\($0).graph" }
        } else if FileManager.default.fileExists(atPath: single) {
            files = [single]
        }
        guard !files.isEmpty else { return nil }
        var layers: [Layer] = []
        var offset = 0
        for file in files {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped),
                  let layer = parse(data, offset: offset) else { return nil }
            layers.append(layer)
            offset += layer.count
        }
        return CommitGraph(layers: layers)
    }

    private static func parse(_ data: Data, offset: Int) -> Layer? {
        guard data.count >= 8, data.prefix(4) == Data("CGPH".utf8), data[data.startIndex + 4] == 1, data[data.startIndex + 5] == 1 else { return nil }
        let chunkCount = Int(data[data.startIndex + 6])
        var chunks: [String: Int] = [:]
        var ends: [Int] = []
        for i in 0...chunkCount {
            let at = 8 + i * 12
            guard at + 12 <= data.count else { return nil }
            let id = String(decoding: data[(data.startIndex + at)..<(data.startIndex + at + 4)], as: UTF8.self)
            let position = Int(readUInt64(data, at + 4))
            guard position <= data.count else { return nil }
            if i < chunkCount { chunks[id] = position }
            ends.append(position)
        }
        guard let fanout = chunks["OIDF"], let oids = chunks["OIDL"], let commitData = chunks["CDAT"],
              fanout + 1024 <= data.count else { return nil }
        let count = Int(readUInt32(data, fanout + 255 * 4))
        guard oids + count * 20 <= data.count, commitData + count * 36 <= data.count else { return nil }
        let bytes = data.withUnsafeBytes { $0.baseAddress!.assumingMemoryBound(to: UInt8.self) }
        return Layer(data: data, bytes: bytes, offset: offset, count: count, fanout: fanout, oids: oids, commitData: commitData,
                     extraEdges: chunks["EDGE"])
    }

    static func readUInt32(_ data: Data, _ at: Int) -> UInt32 {
        data.withUnsafeBytes { raw in
            let p = raw.baseAddress!.advanced(by: at).assumingMemoryBound(to: UInt8.self)
            return UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
        }
    }

    static func readUInt64(_ data: Data, _ at: Int) -> UInt64 {
        UInt64(readUInt32(data, at)) << 32 | UInt64(readUInt32(data, at + 4))
    }

    /// The global position of a commit, or nil when the graph does not hold it.
    func position(of id: ObjectID) -> Int? {
        let key = id.bytes
        for layer in layers {
            let first = Int(key[0])
            var low = first == 0 ? 0 : Int(Self.readUInt32(layer.data, layer.fanout + (first - 1) * 4))
            var high = Int(Self.readUInt32(layer.data, layer.fanout + first * 4))
            let found: Int? = layer.data.withUnsafeBytes { raw in
                let base = raw.baseAddress!.advanced(by: layer.oids).assumingMemoryBound(to: UInt8.self)
                return key.withUnsafeBufferPointer { k in
                    while low < high {
                        let mid = (low + high) / 2
                        let c = memcmp(base + mid * 20, k.baseAddress!, 20)
                        if c == 0 { return mid }
                        if c < 0 { low = mid + 1 } else { high = mid }
                    }
                    return nil
                }
            }
            if let found { return layer.offset + found }
        }
        return nil
    }

    private func layer(for position: Int) -> Layer {
        layers.last { $0.offset <= position }!
    }

    func id(at position: Int) -> ObjectID {
        let l = layer(for: position)
        let start = l.data.startIndex + l.oids + (position - l.offset) * 20
        return ObjectID(bytes: l.data[start..<(start + 20)])
    }

    @inline(__always)
    private static func be32(_ p: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
    }

    /// The commit's CDAT record: parents after the tree id, then level and time.
    @inline(__always)
    private func record(_ position: Int) -> (layer: Layer, at: UnsafePointer<UInt8>) {
        let l = layers.count == 1 ? layers[0] : layer(for: position)
        return (l, l.bytes + l.commitData + (position - l.offset) * 36 + 20)
    }

    /// Calls `body` with each parent's global position (octopus parents from the EDGE chunk).
    @inline(__always)
    func forEachParent(of position: Int, _ body: (Int) throws -> Void) rethrows {
        let (l, at) = record(position)
        let p1 = Self.be32(at), p2 = Self.be32(at + 4)
        if p1 != Self.noParent { try body(Int(p1)) }
        guard p2 != Self.noParent else { return }
        if p2 & 0x8000_0000 == 0 { try body(Int(p2)); return }
        guard let edges = l.extraEdges else { return }
        var index = Int(p2 & 0x7fff_ffff)
        while edges + index * 4 + 4 <= l.data.count {
            let edge = Self.be32(l.bytes + edges + index * 4)
            try body(Int(edge & 0x7fff_ffff))
            if edge & 0x8000_0000 != 0 { break }
            index += 1
        }
    }

    /// Topological level (generation number v1) and commit time.
    @inline(__always)
    func generationAndDate(at position: Int) -> (UInt32, Int64) {
        let (_, at) = record(position)
        let word = UInt64(Self.be32(at + 8)) << 32 | UInt64(Self.be32(at + 12))
        return (UInt32(word >> 34), Int64(word & 0x3_ffff_ffff))
    }
}
