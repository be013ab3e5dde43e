import Foundation

/// A duration written with units: `90s`, `30m`, `2h`, `1h30m`. (Not `Duration`: that name
/// would hide `Swift.Duration`.)
public enum TimeSpan {
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
