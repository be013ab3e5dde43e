import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// git's commit-graph file (`objects/info/commit-graph`, or the split chain under
/// `objects/info/commit-graphs/`), read directly: libgit2 1.5 does not use it for merge-base,
/// and walking parsed commit objects is an order of magnitude slower than reading this index.
/// Format: gitformat-commit-graph(5). Anything unexpected makes `load` return nil, and callers
/// fall back to libgit2.
final class CommitGraph {
    /// One file of the chain (or the single file), with its commits at global positions
    /// `offset ..< offset + count`.
    private struct Layer {
        /// The file's bytes, mapped for as long as the layer holds them.
        let file: MappedFile
        let offset: Int
        let count: Int
        let fanout: Int  // byte offsets of the chunks in `data`
        let oids: Int
        let commitData: Int
        let extraEdges: Range<Int>?
    }

    /// A parent position outside the graph, or an octopus edge list running off its chunk:
    /// the file is damaged, and the caller walks commit objects instead.
    struct Corrupt: Error {}

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
            guard let mapped = MappedFile(path: file), let layer = parse(mapped, offset: offset) else { return nil }
            layers.append(layer)
            offset += layer.count
        }
        return CommitGraph(layers: layers)
    }

    /// Reads one file's header and chunk table. Every chunk must lie inside the file with the
    /// size its contents imply, and the fanout must count up to the commits it indexes, so
    /// that lookups stay inside the file; parent positions are checked as they are read.
    private static func parse(_ data: MappedFile, offset: Int) -> Layer? {
        guard data.count >= 8, Array(data.bytes.prefix(4)) == Array("CGPH".utf8), data[4] == 1, data[5] == 1 else {
            return nil
        }
        let chunkCount = Int(data[6])
        var table: [(id: String, position: Int)] = []
        for i in 0...chunkCount {
            let at = 8 + i * 12
            guard at + 12 <= data.count else { return nil }
            let id = String(decoding: data.bytes[at..<(at + 4)], as: UTF8.self)
            let position = readUInt64(data, at + 4)
            guard position <= UInt64(data.count), table.last.map({ UInt64($0.position) <= position }) ?? true else {
                return nil
            }
            table.append((id, Int(position)))
        }
        // Chunk id → its byte range (the next entry's position ends it).
        var chunks: [String: Range<Int>] = [:]
        for i in 0..<chunkCount { chunks[table[i].id] = table[i].position..<table[i + 1].position }
        guard let fanout = chunks["OIDF"], fanout.count == 1024 else { return nil }
        var previous: UInt32 = 0
        for k in 0..<256 {
            let n = data.uint32(at: fanout.lowerBound + k * 4)
            guard n >= previous else { return nil }
            previous = n
        }
        let count = Int(previous)
        guard let oids = chunks["OIDL"], oids.count == count * 20, let commitData = chunks["CDAT"],
            commitData.count == count * 36
        else {
            return nil
        }
        let edges = chunks["EDGE"]
        guard edges.map({ $0.count % 4 == 0 }) ?? true else { return nil }
        return Layer(
            file: data, offset: offset, count: count, fanout: fanout.lowerBound, oids: oids.lowerBound,
            commitData: commitData.lowerBound, extraEdges: edges)
    }

    static func readUInt64(_ data: MappedFile, _ at: Int) -> UInt64 {
        UInt64(data.uint32(at: at)) << 32 | UInt64(data.uint32(at: at + 4))
    }

    /// The global position of a commit, or nil when the graph does not hold it.
    func position(of id: ObjectID) -> Int? {
        let key = id.bytes
        for layer in layers {
            let first = Int(key[0])
            var low = first == 0 ? 0 : Int(layer.file.uint32(at: layer.fanout + (first - 1) * 4))
            var high = Int(layer.file.uint32(at: layer.fanout + first * 4))
            let found: Int? = {
                let base = layer.file.bytes.baseAddress!.advanced(by: layer.oids)
                return key.withUnsafeBufferPointer { k in
                    while low < high {
                        let mid = (low + high) / 2
                        let c = memcmp(base + mid * 20, k.baseAddress!, 20)
                        if c == 0 { return mid }
                        if c < 0 { low = mid + 1 } else { high = mid }
                    }
                    return nil
                }
            }()
            if let found { return layer.offset + found }
        }
        return nil
    }

    private func layer(for position: Int) -> Layer {
        layers.last { $0.offset <= position }!
    }

    func id(at position: Int) -> ObjectID {
        let l = layer(for: position)
        let start = l.oids + (position - l.offset) * 20
        return ObjectID(bytes: Array(l.file.bytes[start..<(start + 20)]))
    }

    @inline(__always)
    private static func be32(_ p: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
    }

    /// The commit's CDAT record: parents after the tree id, then level and time.
    @inline(__always)
    private func record(_ position: Int) -> (layer: Layer, at: UnsafePointer<UInt8>) {
        let l = layers.count == 1 ? layers[0] : layer(for: position)
        let base = l.file.bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        return (l, base + l.commitData + (position - l.offset) * 36 + 20)
    }

    /// Calls `body` with each parent's global position (octopus parents from the EDGE chunk);
    /// throws `Corrupt` for a position the graph does not hold.
    @inline(__always)
    func forEachParent(of position: Int, _ body: (Int) throws -> Void) throws {
        let (l, at) = record(position)
        let p1 = Self.be32(at), p2 = Self.be32(at + 4)
        if p1 != Self.noParent { try body(try checked(p1)) }
        guard p2 != Self.noParent else { return }
        if p2 & 0x8000_0000 == 0 { try body(try checked(p2)); return }
        guard let edges = l.extraEdges else { throw Corrupt() }
        var cursor = edges.lowerBound + Int(p2 & 0x7fff_ffff) * 4
        while true {
            guard cursor + 4 <= edges.upperBound else { throw Corrupt() }
            let edge = l.file.uint32(at: cursor)
            try body(try checked(edge & 0x7fff_ffff))
            if edge & 0x8000_0000 != 0 { return }
            cursor += 4
        }
    }

    @inline(__always)
    private func checked(_ parent: UInt32) throws -> Int {
        guard Int(parent) < count else { throw Corrupt() }
        return Int(parent)
    }

    /// Topological level (generation number v1) and commit time.
    @inline(__always)
    func generationAndDate(at position: Int) -> (UInt32, Int64) {
        let (_, at) = record(position)
        let word = UInt64(Self.be32(at + 8)) << 32 | UInt64(Self.be32(at + 12))
        return (UInt32(word >> 34), Int64(word & 0x3_ffff_ffff))
    }
}
