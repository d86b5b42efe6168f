import ArgumentParser
import FeedwatchConfig
import Foundation

/// `feedwatch import-opml FILE`: turns a feed reader's export into `sources:` YAML.
///
/// It prints rather than edits the config: rewriting YAML would lose the
/// operator's comments and layout. With `--config`, feeds the config already
/// polls are left out and the output is the bare list items, ready to paste
/// under its `sources:`.
struct ImportOPMLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-opml",
        abstract: "Print the feeds of an OPML export as feedwatch `sources:` YAML.",
        discussion: """
        Folder names become tags. With --config, feeds already in that config are skipped and only \
        the new list items are printed (paste them under `sources:`); a summary goes to stderr.
        """
    )

    @Argument(help: "The OPML file (use - for stdin).")
    var file: String

    @Option(name: .long, help: "Skip feeds this config already has.")
    var config: String?

    func run() async throws {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let d = FileManager.default.contents(atPath: file) else {
                Terminal.standardError.write("import-opml: \(file): cannot read\n")
                throw ExitCode.failure
            }
            data = d
        }
        var feeds: [OPMLImporter.Feed]
        do {
            feeds = try OPMLImporter.parse(data)
        } catch {
            Terminal.standardError.write("\(file): \(error)\n")
            throw ExitCode.failure
        }
        let total = feeds.count
        if let config {
            let existing: Config
            do { existing = try Config.load(path: config) } catch {
                Terminal.standardError.write("\(error)\n")
                throw ExitCode.failure
            }
            let urls = Set(existing.sources.map(\.url))
            let names = Set(existing.sources.map(\.name))
            feeds = feeds.filter { !urls.contains($0.url) }
            // Names are unique in a config: suffix a clash rather than refuse it.
            feeds = feeds.map { f in
                var f = f
                var n = 2
                while names.contains(f.name) { f.name = "\(f.name.split(separator: " #").first ?? "") #\(n)"; n += 1 }
                return f
            }
            Terminal.standardOutput.write(OPMLImporter.yaml(feeds))
            Terminal.standardError.write("import-opml: \(feeds.count) new of \(total) feeds (\(total - feeds.count) already in \(config))\n")
        } else {
            Terminal.standardOutput.write("sources:\n" + OPMLImporter.yaml(feeds))
            Terminal.standardError.write("import-opml: \(total) feeds\n")
        }
    }
}
