import Foundation

/// The one rule for a yes/no environment variable (`CI`, `MLCI`, `MLCI_ALL`,
/// `MLCI_TRACE_PERFORMANCE`): unset or empty is no; `0`, `false`, `no` and `off`, in any case
/// and with surrounding spaces, are no; any other value is yes (`CI=true`, `CI=1`,
/// `CI=woodpecker` all mean CI).
public enum EnvFlag {
    public static func isOn(_ value: String?) -> Bool {
        guard let value else { return false }
        let text = value.trimmingCharacters(in: .whitespaces).lowercased()
        return !text.isEmpty && !["0", "false", "no", "off"].contains(text)
    }

    /// Whether a variable that is set (not empty) says no: `MLCI=0` turns the hooks off, an
    /// unset `MLCI` does not.
    public static func isOff(_ value: String?) -> Bool {
        guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else { return false }
        return !isOn(value)
    }
}
