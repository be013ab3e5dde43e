import Foundation
import MLCITestSupport
import Testing

/// The variables a plan hands its stages are named in one place (`StageJobEnvironment`): the
/// code that sets or emits them never spells one out, and no file names a variable mlci does
/// not define, so a rename or a typo cannot reach one side of the contract only. A CI
/// platform's own variables (`GITHUB_…`, `CI_…`, `JENKINS_…`) are named only in its folder
/// under `CI/`, so a platform is one unit.
@Suite("one plan-to-stage contract")
struct StageJobContractTests {
    static let sources = FixturePaths.packageRoot + "/Sources"
    static let contractFile = "MLCICore/CI/StageJobEnvironment.swift"
    /// Where the contract is set, emitted or read: names only through the type.
    static let contractUsers = ["MLCICore", "mlci"]
    /// Where CI platforms live: their own variables may be spelt out there, and only there.
    static let platformsFolder = "MLCICore/CI/"
    /// The built-in templates, embedded as text (`scripts/embed-templates`): the platforms' own
    /// files, checked as templates by `noUnknownNames`.
    static let embeddedTemplates = "MLCICore/Emitters/EmbeddedTemplates.swift"
    /// Variables that are not part of the plan-to-stage contract: a token the GitLab template
    /// reads, and the binary the test suite runs.
    static let otherVariables: Set<String> = ["MLCI_GITLAB_TOKEN", "MLCI_BIN"]

    /// A CI platform's variable: its prefix, or one of the Jenkins names without one. `MLCI_`
    /// itself ends in `CI_`, so a name must start at a word boundary.
    static let platformVariable = try! NSRegularExpression(
        pattern:
            #"(?<![A-Za-z0-9_])((GITHUB|GITLAB|CI|JENKINS|RUNNER)_[A-Z0-9_]+|TAG_NAME|CHANGE_TARGET|GIT_PREVIOUS_SUCCESSFUL_COMMIT|BRANCH_NAME|GIT_COMMIT)(?![A-Za-z0-9_])"#
    )

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
        for relative in Self.contractUsers.flatMap(Self.swiftFiles)
        where relative != Self.contractFile && relative != Self.embeddedTemplates {
            let text = try String(contentsOfFile: Self.sources + "/" + relative, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                // `@MLCI_…@` are template placeholders, not variables.
                let stripped = code.replacingOccurrences(
                    of: #"@MLCI_[A-Z0-9_]+@"#, with: "", options: .regularExpression)
                let found = Self.names(in: stripped[...]).filter { !Self.otherVariables.contains($0) }
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

    /// The CI platforms' own variable names on one line of code (comments skipped).
    static func platformNames(in line: Substring) -> [String] {
        let code = line.trimmingCharacters(in: .whitespaces)
        if code.hasPrefix("//") { return [] }
        return platformVariable.matches(in: code, range: NSRange(code.startIndex..., in: code)).map {
            String(code[Range($0.range, in: code)!])
        }
    }

    @Test("a CI platform's variables are named only in its folder under CI/")
    func platformVariablesStayInTheirFolders() throws {
        var offenders: [String] = []
        let files = ["MLCICore", "MLCIGit", "mlci"].flatMap(Self.swiftFiles)
        #expect(files.contains("MLCICore/Planning/Planner.swift") && files.contains("mlci/Subcommands/Plan.swift"))
        for relative in files where !relative.hasPrefix(Self.platformsFolder) && relative != Self.embeddedTemplates {
            let text = try String(contentsOfFile: Self.sources + "/" + relative, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let found = Self.platformNames(in: line)
                if !found.isEmpty { offenders.append("\(relative):\(n + 1): \(found.joined(separator: ", "))") }
            }
        }
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
        // The scan sees what it is for, and not mlci's own names.
        #expect(
            Self.platformNames(in: #"env["GITHUB_REF"] ?? env["CI_COMMIT_TAG"] ?? env["TAG_NAME"]"#) == [
                "GITHUB_REF", "CI_COMMIT_TAG", "TAG_NAME",
            ])
        #expect(Self.platformNames(in: #"env["MLCI_BASE"] ?? env["MLCI_CI_X"]"#).isEmpty)
        #expect(Self.platformNames(in: #"/// reads GITHUB_REF"#).isEmpty)
    }
}
