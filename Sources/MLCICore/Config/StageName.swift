extension Stage {
    /// Why `name` cannot name a stage, or nil. One rule for mlci.yml and for every place that
    /// takes stage names from a person (`mlci hook install --stages`): a name is written into
    /// logs, step outputs, job ids and hook scripts, where a line break would forge entries.
    public static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "a stage needs a non-empty name" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            let shown = name.debugDescription.dropFirst().dropLast()
            return "stage name '\(shown)' holds a control character"
        }
        // `mlci job "$MLCI_STAGE"` runs it in CI: a name such as `-h` would be read as a flag.
        if name.hasPrefix("-") { return "stage name '\(name)' starts with '-', which mlci job would read as a flag" }
        return nil
    }
}
