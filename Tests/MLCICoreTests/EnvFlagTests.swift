import Foundation
import Testing

@testable import MLCICore

/// One truthiness rule for every yes/no variable, and the places that read one.
@Suite("yes/no environment variables")
struct EnvFlagTests {
    static let table: [(String?, Bool)] = [
        (nil, false), ("", false), ("  ", false), ("0", false), ("false", false), ("FALSE", false),
        ("no", false), ("Off", false), (" false ", false),
        ("1", true), ("true", true), ("yes", true), ("on", true), ("woodpecker", true), ("2", true),
    ]

    @Test("unset, empty, 0, false, no and off are no; anything else is yes")
    func rule() {
        for (value, expected) in Self.table {
            #expect(EnvFlag.isOn(value) == expected, "\(value ?? "unset")")
            // Off means "set and saying no": unset and empty are neither.
            let off = !(value ?? "").trimmingCharacters(in: .whitespaces).isEmpty && !expected
            #expect(EnvFlag.isOff(value) == off, "\(value ?? "unset")")
        }
    }

    @Test("the hooks, MLCI_ALL and the hooks' MLCI switch read the same rule")
    func readers() {
        for (value, expected) in Self.table {
            let env = value.map { ["CI": $0] } ?? [:]
            #expect(
                (HookSession.skipReason(hook: "pre-push", environment: env) != nil) == expected, "CI=\(value ?? "")")
            let request = PlanRequest(environment: value.map { ["MLCI_ALL": $0] } ?? [:])
            #expect(request.compareNothing == expected, "MLCI_ALL=\(value ?? "")")
        }
        #expect(
            HookSession.skipReason(hook: "pre-push", environment: ["MLCI": "off"])
                == "MLCI=off, skipping the pre-push check")
        #expect(HookSession.skipReason(hook: "pre-push", environment: ["MLCI": "1"]) == nil)
    }
}
