import Foundation
import MLCIGit

public struct ShellError: Error, CustomStringConvertible {
    public let arguments: [String]
    public let result: ProcessResult
    public init(arguments: [String], result: ProcessResult) {
        self.arguments = arguments
        self.result = result
    }
    public var description: String {
        "\(arguments.joined(separator: " ")) exited \(result.status): \(result.err)"
    }
}
