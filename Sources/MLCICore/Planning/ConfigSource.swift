import MLCIGit

/// Which commit's mlci.yml a plan follows.
public enum ConfigSource: String, Sendable, Equatable, CaseIterable {
    /// The head's (the default): a change to mlci.yml takes effect in the change itself.
    case head
    /// The base commit's: a pull request from a fork cannot change which stages run or what
    /// they run (`--config-from base`, `MLCI_CONFIG_FROM=base`).
    case base
}
