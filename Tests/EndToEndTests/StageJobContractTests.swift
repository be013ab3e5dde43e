import Foundation
import MLCITestSupport
import Testing

/// The variables a plan hands its stages are named in one place (`StageJobEnvironment`): the
/// code that sets or emits them never spells one out, and no file names a variable mlci does
/// not define, so a rename or a typo cannot reach one side of the contract only.
@Suite("one plan-to-stage contract")
struct StageJobContractTests {
    static let sources = FixturePaths.packageRoot + "/Sources"
    static let contractFile = "MLCICore/Runner/StageJobEnvironment.swift"
    /// Where the contract is set, emitted or read: names only through the type.
    static let contractUsers = [
        "MLCICore/Runner", "MLCICore/Emitters/GitHubEmitter.swift", "MLCICore/Emitters/GitLabEmitter.swift",
        "MLCICore/Emitters/JenkinsEmitter.swift", "MLCICore/Output", "MLCICore/Planning",
    ]
    /// Variables that are not part of the plan-to-stage contract, each read in one place.
    static let otherVariables: Set<String> = [
        "MLCI_CACHE_SIGNATURE_KEY", "MLCI_GITLAB_TOKEN", "MLCI_SKIP", "MLCI_TRACE_PERFORMANCE", "MLCI_BIN",
    ]

    static func swiftFiles(under relative: String) -> [String] {
        let path = sources + "/" + relative
        if path.hasSuffix(".swift") { return [relative] }
        let found = FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []
        return found.filter { $0.hasSuffix(".swift") }.map { relative + "/" + $0 }.sorted()
    }

    static func names(in text: Substring) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"MLCI_[A-Z0-9_]*[A-Z0-9]_?"#)
        let string = String(text)
        return pattern.matches(in: string, range: NSRange(string.startIndex..., in: string)).map {
            String(string[Range($0.range, in: string)!])
        }
    }

    /// The names the contract type defines, read from its source.
    static func contractNames() throws -> Set<String> {
        let text = try String(contentsOfFile: sources + "/" + contractFile, encoding: .utf8)
        return Set(text.split(separator: "\n").filter { $0.contains("static let") }.flatMap { names(in: $0) })
    }

    @Test("code that sets, emits or reads the contract names its variables only through StageJobEnvironment")
    func noLiterals() throws {
        var offenders: [String] = []
        for relative in Self.contractUsers.flatMap(Self.swiftFiles) where relative != Self.contractFile {
            let text = try String(contentsOfFile: Self.sources + "/" + relative, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                let found = Self.names(in: line[...]).filter { !Self.otherVariables.contains($0) }
                if !found.isEmpty { offenders.append("\(relative):\(n + 1): \(code)") }
            }
        }
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
        #expect(try Self.contractNames().contains("MLCI_BASE_SHA"))
    }

    @Test("every MLCI_ variable named anywhere in Sources and templates is one mlci defines")
    func noUnknownNames() throws {
        let known = try Self.contractNames().union(Self.otherVariables)
        var unknown: [String] = []
        var files = Self.swiftFiles(under: "MLCICore") + Self.swiftFiles(under: "mlci")
        files = files.map { Self.sources + "/" + $0 }
        let templates = FixturePaths.packageRoot + "/templates"
        for case let relative as String in FileManager.default.enumerator(atPath: templates)! {
            if !relative.hasSuffix(".json") { files.append(templates + "/" + relative) }
        }
        for file in files {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            let text = try String(contentsOfFile: file, encoding: .utf8)
            // `@MLCI_…@` are template placeholders, filled in at generate time.
            let stripped = text.replacingOccurrences(
                of: #"@MLCI_[A-Z0-9_]+@"#, with: "", options: .regularExpression)
            for name in Self.names(in: stripped[...]) where !known.contains(name) && !name.hasSuffix("_") {
                unknown.append("\(file.dropFirst(FixturePaths.packageRoot.count + 1)): \(name)")
            }
        }
        #expect(Array(Set(unknown)).sorted().isEmpty, "\(Array(Set(unknown)).sorted().joined(separator: "\n"))")
    }
}
