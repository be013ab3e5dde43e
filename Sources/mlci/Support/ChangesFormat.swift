import ArgumentParser
import Foundation
import MLCIGit

/// Output formats of `mlci changes`.
enum ChangesFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
