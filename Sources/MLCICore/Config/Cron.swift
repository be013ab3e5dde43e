/// Five-field cron expressions as GitHub and GitLab schedules accept them.
public enum Cron {
    static let ranges: [ClosedRange<Int>] = [0...59, 0...23, 1...31, 1...12, 0...7]
    static let names: [[String: Int]] = [
        [:], [:], [:],
        [
            "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
            "nov": 11, "dec": 12,
        ],
        ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6],
    ]
    static let fieldNames = ["minute", "hour", "day of month", "month", "day of week"]

    /// nil when valid; otherwise what is wrong.
    public static func problem(_ expression: String) -> String? {
        let fields = expression.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else {
            return "a cron expression has 5 fields (minute hour day month weekday); found \(fields.count)"
        }
        for (i, field) in fields.enumerated() {
            for part in field.split(separator: ",", omittingEmptySubsequences: false) {
                let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
                guard pieces.count <= 2 else { return "bad \(fieldNames[i]) '\(field)'" }
                if pieces.count == 2, Int(pieces[1]).map({ $0 > 0 }) != true {
                    return "bad step in \(fieldNames[i]) '\(field)'"
                }
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
