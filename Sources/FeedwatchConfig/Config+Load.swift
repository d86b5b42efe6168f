import Foundation
import Yams

extension Config {
    /// Reads and validates a config file. Relative paths inside it (watchlist,
    /// file sources, file sinks, state_dir, secret files) resolve against the
    /// file's own directory, so it works from any working directory.
    ///
    /// Throws `ConfigError` listing every problem found. With `secrets: false`
    /// webhook secrets are not read (for `status` and `tail`, which only need
    /// paths and may run without the service's environment or credentials).
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                            secrets: Bool = true) throws -> Config {
        let file = absolute(path, base: FileManager.default.currentDirectoryPath)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigError(diagnostics: [ConfigDiagnostic(file: path, line: 1, column: 1,
                                                             message: "cannot read the config file (\(Self.reason(file)))")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(diagnostics: [ConfigDiagnostic(file: path, line: 1, column: 1, message: "the config file is not UTF-8")])
        }
        return try parse(yaml: text, file: file, displayName: path, environment: environment, secrets: secrets)
    }

    /// Validates config text as if read from `file` (an absolute path used to
    /// resolve relative paths); diagnostics name `displayName`.
    public static func parse(yaml: String, file: String, displayName: String? = nil,
                             environment: [String: String] = [:], secrets: Bool = true) throws -> Config {
        let reader = YAMLReader(file: displayName ?? file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ConfigError(diagnostics: [ConfigDiagnostic(file: reader.file, line: 1, column: 1, message: "the config file is empty")])
            }
            root = node
        } catch let error as YamlError {
            throw ConfigError(diagnostics: [syntaxDiagnostic(error, file: reader.file)])
        }
        let builder = ConfigBuilder(reader: reader, baseDir: (file as NSString).deletingLastPathComponent,
                                    environment: environment, resolveSecrets: secrets)
        let config = builder.build(root, file: file)
        if !reader.diagnostics.isEmpty || config == nil {
            throw ConfigError(diagnostics: reader.diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) },
                              watchlist: config?.watchlist)
        }
        return config!
    }

    static func syntaxDiagnostic(_ error: YamlError, file: String) -> ConfigDiagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let what = context.map { "\($0.text) \(problem)" } ?? problem
            return ConfigDiagnostic(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(what)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return ConfigDiagnostic(file: file, line: context.mark.line, column: context.mark.column,
                                    message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", "))")
        default:
            return ConfigDiagnostic(file: file, line: 1, column: 1, message: "YAML: \(error)")
        }
    }

    static func reason(_ path: String) -> String {
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) { return "no such file" }
        return isDir.boolValue ? "it is a directory" : "permission denied"
    }
}
