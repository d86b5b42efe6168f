import FeedwatchConfig

/// What loading a config reports, one line per problem (none when it loads).
func configProblems(_ load: () throws -> Config) -> [String] {
    do {
        _ = try load()
        return []
    } catch let e as ConfigError {
        return e.diagnostics.map(\.description)
    } catch {
        return ["unexpected \(error)"]
    }
}
