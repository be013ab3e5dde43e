import Foundation

/// How generated CI pipelines run jobs: machines, images, set-up lines. The top-level `ci:`
/// applies to every stage; a stage's own `ci:` overrides it key by key.
public struct CISettings: Sendable, Equatable {
    /// GitHub `runs-on`: a label or a list of labels (`[self-hosted, gpu]`).
    public var githubRunsOn: [String]?
    /// GitHub workflow `permissions` (default `contents: read`).
    public var githubPermissions: [(String, String)]?
    public var gitlabImage: String?
    public var gitlabTags: [String]?
    /// Shell lines that put mlci on PATH in every CI job.
    public var setup: [String]?

    public init() {}

    public static func == (l: CISettings, r: CISettings) -> Bool {
        l.githubRunsOn == r.githubRunsOn && l.gitlabImage == r.gitlabImage && l.gitlabTags == r.gitlabTags
            && l.setup == r.setup && l.githubPermissions?.map { $0.0 + "=" + $0.1 } == r.githubPermissions?.map { $0.0 + "=" + $0.1 }
    }

    /// `self` with every key that `override` sets replaced.
    public func overridden(by override: CISettings?) -> CISettings {
        guard let override else { return self }
        var merged = self
        if let v = override.githubRunsOn { merged.githubRunsOn = v }
        if let v = override.githubPermissions { merged.githubPermissions = v }
        if let v = override.gitlabImage { merged.gitlabImage = v }
        if let v = override.gitlabTags { merged.gitlabTags = v }
        if let v = override.setup { merged.setup = v }
        return merged
    }
}

/// A group of stages that becomes one GitHub workflow and one GitLab child pipeline: CI
/// (lint, test), CD (package, deploy), CT (train on its own triggers).
public struct Pipeline: Sendable {
    public let name: String
    public let stages: [String]
    /// Push triggers limited to these branches (and no pull request trigger); nil: all.
    public let branches: [String]?
    /// A cron expression: scheduled runs (continuous training).
    public let schedule: String?
    /// A name to request a run with: GitHub `repository_dispatch` type (and manual dispatch),
    /// GitLab `MLCI_TRIGGER=<name>` on a pipeline trigger.
    public let dispatch: String?
    public let location: SourceLocation?
}

/// A duration written with units: `90s`, `30m`, `2h`, `1h30m`.
public enum Duration {
    public static func seconds(_ text: String) -> Int? {
        var total = 0, number = 0, sawDigit = false, sawUnit = false
        for c in text.trimmingCharacters(in: .whitespaces) {
            if let d = c.wholeNumberValue { number = number * 10 + d; sawDigit = true; continue }
            guard sawDigit else { return nil }
            switch c {
            case "s": total += number
            case "m": total += number * 60
            case "h": total += number * 3600
            default: return nil
            }
            number = 0; sawDigit = false; sawUnit = true
        }
        return sawUnit && !sawDigit && total > 0 ? total : nil
    }
}

/// Five-field cron expressions as GitHub and GitLab schedules accept them.
public enum Cron {
    static let ranges: [ClosedRange<Int>] = [0...59, 0...23, 1...31, 1...12, 0...7]
    static let names: [[String: Int]] = [
        [:], [:], [:],
        ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12],
        ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6],
    ]
    static let fieldNames = ["minute", "hour", "day of month", "month", "day of week"]

    /// nil when valid; otherwise what is wrong.
    public static func problem(_ expression: String) -> String? {
        let fields = expression.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else { return "a cron expression has 5 fields (minute hour day month weekday); found \(fields.count)" }
        for (i, field) in fields.enumerated() {
            for part in field.split(separator: ",", omittingEmptySubsequences: false) {
                let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
                guard pieces.count <= 2 else { return "bad \(fieldNames[i]) '\(field)'" }
                if pieces.count == 2, Int(pieces[1]).map({ $0 > 0 }) != true { return "bad step in \(fieldNames[i]) '\(field)'" }
                if pieces[0] == "*" { continue }
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
                guard (1...2).contains(bounds.count) else { return "bad \(fieldNames[i]) '\(field)'" }
                var values: [Int] = []
                for b in bounds {
                    guard let v = Int(b) ?? names[i][b.lowercased()] else { return "bad \(fieldNames[i]) '\(field)'" }
                    guard ranges[i].contains(v) else {
                        return "\(fieldNames[i]) \(v) is out of range \(ranges[i].lowerBound)-\(ranges[i].upperBound)"
                    }
                    values.append(v)
                }
                if values.count == 2, values[0] > values[1] { return "bad range in \(fieldNames[i]) '\(field)'" }
            }
        }
        return nil
    }
}
