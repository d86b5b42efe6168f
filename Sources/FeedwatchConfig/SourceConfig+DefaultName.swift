extension SourceConfig {
    /// The name a source gets when the config gives none (a file's name, a URL without its scheme):
    /// also how `status` names a source it knows only by URL.
    public static func defaultName(url: String) -> String { ConfigBuilder.defaultName(url) }
}
