import Foundation
import MLCIGit
import Yams

/// A params file as compared between two commits: its values, or — when mlci cannot read it key
/// by key (a Python file using constructs it does not model, a file that does not parse) — the
/// whole file, which then stands for every key, so that any change to it counts.
public enum ParamsContent: Sendable {
    case values(JSONValue)
    case whole(JSONValue)

    public static func read(_ bytes: [UInt8], path: String) -> ParamsContent {
        if let format = ParamsFormat(path: path), let values = try? ParamsFile.parse(bytes, format: format) {
            return .values(values)
        }
        return .whole(.string("file " + ObjectID.hashing(bytes).hex.prefix(12)))
    }

    /// The value of a dotted key; nil for the whole file's values.
    public func value(_ key: String?) -> JSONValue? {
        switch self {
        case .values(let values): return key.map(values.lookup) ?? values
        case .whole(let file): return file
        }
    }
}
