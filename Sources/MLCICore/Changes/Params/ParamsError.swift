import Foundation
import MLCIGit
import Yams

/// A params file that could not be parsed; `line` when the parser knows it.
public struct ParamsError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let line: Int?
    public var description: String { (line.map { "line \($0): " } ?? "") + message }
}
