/// The version of mlci, printed by `mlci --version` and folded into cache keys.
public enum MLCIVersion {
    public static let current = "0.1.0"
}
