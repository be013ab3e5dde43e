public enum DVCLink: Sendable, Equatable {
    case all
    case stages([String])
}
