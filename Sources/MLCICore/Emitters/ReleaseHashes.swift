/// The SHA-256 of published mlci wheels (`packaging/release-hashes.txt`, embedded at build
/// time): what the default set-up of generated jobs pins when `ci.install` names none.
enum ReleaseHashes {
    /// The hashes recorded for `version`, in file order; empty when it was never published.
    static func sha256(for version: String) -> [String] {
        let text = EmbeddedTemplates.files["packaging/release-hashes.txt"] ?? ""
        return text.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard !line.hasPrefix("#"), fields.count >= 2, fields[0] == version,
                InstallSettings.isSHA256(String(fields[1]))
            else { return nil }
            return String(fields[1])
        }
    }
}
