import Foundation

/// Replaces secret values with `***` in everything a run writes: stage output (console, log,
/// cache record), notes, events and errors.
///
/// The secrets are the values of every variable any stage of the config declares under
/// `secrets:` — a stage without `secrets:` can still print a variable it inherits — and the
/// cache signature key. A value is masked whole, without surrounding whitespace (a value read
/// from a file often ends in a newline), and, when it spans lines (a PEM key), line by line:
/// output is handled a line at a time, so the whole value never appears in one. Lines shorter
/// than `minimumLineLength` are not masked on their own (masking every `}` would hide the log,
/// not the secret). What it cannot catch: a value the stage transforms (base64, reversed, split
/// by the program itself, URL-encoded).
public struct SecretMasker: Sendable {
    /// The byte strings replaced, longest first (a value containing another is masked whole).
    let patterns: [[UInt8]]
    static let minimumLineLength = 4
    static let replacement = Array("***".utf8)

    public init(values: [String]) {
        var found = Set<[UInt8]>()
        for value in values where !value.isEmpty {
            found.insert(Array(value.utf8))
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { found.insert(Array(trimmed.utf8)) }
            guard value.contains(where: \.isNewline) else { continue }
            for line in value.split(whereSeparator: \.isNewline) {
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.count >= Self.minimumLineLength { found.insert(Array(text.utf8)) }
            }
        }
        patterns = found.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
    }

    /// The masker for a run of `config`: the values of every declared secret, in the base
    /// environment or a stage's own `env:`, and the cache signature key.
    public init(config: MLCIConfig, environment: [String: String]) {
        var values: [String] = []
        for stage in config.stages {
            for name in stage.local.secrets {
                if let v = environment[name] { values.append(v) }
                for (k, v) in stage.local.env where k == name { values.append(v) }
            }
        }
        if let key = environment[CacheStore.signatureKeyVariable] { values.append(key) }
        self.init(values: values)
    }

    public var isEmpty: Bool { patterns.isEmpty }
    var longest: Int { patterns.first?.count ?? 0 }

    public func mask(_ text: String) -> String {
        guard !patterns.isEmpty else { return text }
        return String(decoding: mask(bytes: Array(text.utf8)), as: UTF8.self)
    }

    func mask(bytes: [UInt8]) -> [UInt8] {
        guard !patterns.isEmpty else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if let length = match(bytes, at: i) {
                out += Self.replacement
                i += length
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// The length of the longest pattern at `i`.
    private func match(_ bytes: [UInt8], at i: Int) -> Int? {
        for p in patterns where p[0] == bytes[i] && i + p.count <= bytes.count {
            var j = 1
            while j < p.count && bytes[i + j] == p[j] { j += 1 }
            if j == p.count { return p.count }
        }
        return nil
    }

    /// Masks output that arrives in pieces: a line longer than the reader's buffer comes in
    /// several, and a secret may straddle two. The end of a piece that could begin a secret is
    /// held back until the next piece, so a secret is always masked whole.
    public final class Stream: @unchecked Sendable {
        private let masker: SecretMasker
        private var carry: [UInt8] = []

        public init(_ masker: SecretMasker) { self.masker = masker }

        /// The masked text to emit for this piece (nil when everything is held back).
        /// `endsLine`: the piece ends its line (or the output).
        public func feed(_ piece: [UInt8], endsLine: Bool) -> String? {
            var text = carry + piece
            carry = []
            if endsLine || masker.isEmpty {
                return String(decoding: masker.mask(bytes: text), as: UTF8.self)
            }
            var cut = max(0, text.count - (masker.longest - 1))
            // An occurrence straddling the cut moves it back to the occurrence's start.
            var moved = true
            while moved {
                moved = false
                var start = max(0, cut - masker.longest + 1)
                while start < cut {
                    if let length = masker.match(text, at: start), start + length > cut {
                        cut = start
                        moved = true
                        break
                    }
                    start += 1
                }
            }
            // Never split a UTF-8 sequence: back up over continuation bytes.
            while cut > 0, cut < text.count, text[cut] & 0xC0 == 0x80 { cut -= 1 }
            carry = Array(text[cut...])
            text.removeSubrange(cut...)
            guard !text.isEmpty else { return nil }
            return String(decoding: masker.mask(bytes: text), as: UTF8.self)
        }
    }
}
