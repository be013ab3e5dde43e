/// Writing files: CI pipelines and their templates (`generate`), starter configs (`init`). Each
/// case carries what the message names; the message is written once.
public enum GenerateError: MLCIFailure, Equatable {
    case unknownPreset(String, presets: [String])
    /// `what` needs a working tree ("generate", "mlci init").
    case needsWorkingTree(what: String)
    case configExists(path: String)
    case notGeneratedByMLCI(paths: [String])
    case cannotWrite(path: String, reason: String)
    case cannotRemove(path: String, reason: String)
    case cannotOpen(path: String)
    case tooManyLinks(path: String)
    case noTemplate(String)
    case invalidTemplate(Diagnostic)

    public var category: ErrorCategory {
        switch self {
        case .unknownPreset, .needsWorkingTree, .configExists, .noTemplate, .invalidTemplate: .usage
        case .notGeneratedByMLCI, .cannotWrite, .cannotRemove, .cannotOpen, .tooManyLinks: .failure
        }
    }

    public var description: String {
        switch self {
        case .unknownPreset(let name, let presets):
            "unknown preset '\(name)'; presets: \(presets.joined(separator: ", "))"
        case .needsWorkingTree(let what): "\(what) needs a working tree; this repository is bare"
        case .configExists(let path): "\(path) already exists; pass --force to overwrite it"
        case .notGeneratedByMLCI(let paths):
            "\(paths.joined(separator: ", ")) \(paths.count == 1 ? "exists and was" : "exist and were") not generated "
                + "by mlci; nothing was written. Move it away, or pass --force to replace it"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .cannotRemove(let path, let reason): "cannot remove \(path): \(reason)"
        case .cannotOpen(let path): "cannot open \(path) for writing"
        case .tooManyLinks(let path): "cannot write \(path): too many levels of symbolic links"
        case .noTemplate(let name): "no template named \(name)"
        case .invalidTemplate(let diagnostic): "template \(diagnostic.description)"
        }
    }
}
