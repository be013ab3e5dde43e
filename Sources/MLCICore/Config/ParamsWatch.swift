/// A params file and the dotted keys a stage depends on.
public struct ParamsWatch: Sendable, Hashable {
    public let file: String
    public let keys: [String]

    public init(file: String, keys: [String]) {
        self.file = file
        self.keys = keys
    }
}
