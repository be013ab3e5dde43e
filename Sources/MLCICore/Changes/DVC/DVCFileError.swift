/// A `dvc.yaml` mlci cannot read as DVC would, with the line where reading stopped.
public struct DVCFileError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String
    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}
