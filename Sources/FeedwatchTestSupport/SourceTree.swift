import Foundation

/// The checkout this was built from, for files tests read in place (shipped config and templates,
/// the dev sets) rather than copy into a bundle.
public enum SourceTree {
    public static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `relative` under the root, e.g. `Config/templates/discord.mustache`.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}
