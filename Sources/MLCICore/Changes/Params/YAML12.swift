import Foundation
import MLCIGit
import Yams

/// The plain-scalar patterns of ruamel's YAML 1.2 resolver, matched by hand (a regular
/// expression engine would load ICU on the start-up path of every plan that reads a params file):
///   float     ^[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+]?[0-9]+)?$ | ^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$
///             | ^[-+]?\.[0-9_]+([eE][-+][0-9]+)?$
///   infinity  ^[-+]?\.(inf|Inf|INF)$        nan  ^\.(nan|NaN|NAN)$
///   binary    ^[-+]?0b[0-1_]+$   hex  ^[-+]?0x[0-9a-fA-F_]+$   octal  ^[-+]?0o[0-7_]+$
///   decimal   ^[-+]?[0-9_]+$
enum YAML12 {
    enum Pattern {
        case float, infinity, nan, binary, hex, octal, decimal

        func matches(_ s: [UInt8]) -> Bool {
            var i = 0
            func sign() { if i < s.count, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { i += 1 } }
            /// Consumes bytes while `accept` holds; returns how many.
            func run(_ accept: (UInt8) -> Bool) -> Int {
                let start = i
                while i < s.count, accept(s[i]) { i += 1 }
                return i - start
            }
            func byte(_ c: Character) -> Bool {
                guard i < s.count, s[i] == c.asciiValue! else { return false }
                i += 1
                return true
            }
            func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
            func digitOrUnderscore(_ b: UInt8) -> Bool { digit(b) || b == UInt8(ascii: "_") }
            /// [eE] sign-digits; `signRequired` for the third float form.
            func exponent(signRequired: Bool) -> Bool {
                guard byte("e") || byte("E") else { return false }
                let signed = byte("-") || byte("+")
                if signRequired && !signed { return false }
                return run(digit) > 0
            }
            switch self {
            case .float:
                sign()
                if i < s.count, digit(s[i]) {
                    i += 1
                    _ = run(digitOrUnderscore)
                    if byte(".") {
                        _ = run(digitOrUnderscore)
                        let mark = i
                        if !exponent(signRequired: false) { i = mark }
                        return i == s.count
                    }
                    return exponent(signRequired: false) && i == s.count
                }
                guard byte("."), run(digitOrUnderscore) > 0 else { return false }
                let mark = i
                if !exponent(signRequired: true) { i = mark }
                return i == s.count
            case .infinity:
                sign()
                guard byte(".") else { return false }
                let rest = String(decoding: s[i...], as: UTF8.self)
                return rest == "inf" || rest == "Inf" || rest == "INF"
            case .nan:
                let text = String(decoding: s, as: UTF8.self)
                return text == ".nan" || text == ".NaN" || text == ".NAN"
            case .binary, .hex, .octal:
                sign()
                let (letter, accept): (Character, (UInt8) -> Bool) =
                    switch self {
                    case .binary: ("b", { $0 == 0x30 || $0 == 0x31 || $0 == UInt8(ascii: "_") })
                    case .hex:
                        ("x", { digitOrUnderscore($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) })
                    default: ("o", { ($0 >= 0x30 && $0 <= 0x37) || $0 == UInt8(ascii: "_") })
                    }
                guard byte("0"), byte(letter) else { return false }
                return run(accept) > 0 && i == s.count
            case .decimal:
                sign()
                return run(digitOrUnderscore) > 0 && i == s.count
            }
        }
    }

    static let float = Pattern.float, infinity = Pattern.infinity, nan = Pattern.nan
    static let binary = Pattern.binary, hex = Pattern.hex, octal = Pattern.octal, decimal = Pattern.decimal
}
