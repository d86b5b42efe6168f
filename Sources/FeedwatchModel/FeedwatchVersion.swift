/// The version printed by `--version` and sent in the User-Agent.
public enum FeedwatchVersion {
    public static let string = "0.1.0"
    public static let userAgent = "feedwatch/\(string) (+https://github.com/feedwatch/feedwatch)"
}
