/// The version winnowd and winnowctl report (`--version`, `winnowctl version`, `status`).
public enum WinnowVersion {
    public static let current = "0.8.0"
}
