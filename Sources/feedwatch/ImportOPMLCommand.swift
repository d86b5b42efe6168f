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
            feeds = Self.uniqueNames(feeds.filter { !urls.contains($0.url) }, taken: existing.sources.map(\.name))
            Terminal.standardOutput.write(OPMLImporter.yaml(feeds))
            Terminal.standardError.write("import-opml: \(feeds.count) new of \(total) feeds (\(total - feeds.count) already in \(config))\n")
        } else {
            feeds = Self.uniqueNames(feeds, taken: [])
            Terminal.standardOutput.write("sources:\n" + OPMLImporter.yaml(feeds))
            Terminal.standardError.write("import-opml: \(total) feeds\n")
        }
    }

    /// Source names are unique in a config (`check` refuses a duplicate), but feed
    /// readers happily export two feeds titled "News". The first keeps its title; a
    /// later one gets its site added ("News (example.org)"), or a number ("News 2")
    /// when that is taken too. Names in `taken` (the config's) count as used.
    static func uniqueNames(_ feeds: [OPMLImporter.Feed], taken: [String]) -> [OPMLImporter.Feed] {
        // Compared as written to YAML: tabs and newlines become spaces there.
        func key(_ name: String) -> String {
            String(name.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
        }
        var used = Set(taken.map(key))
        return feeds.map { feed in
            var f = feed
            if used.contains(key(f.name)) {
                let base = f.name
                var candidate = base
                if let host = URLComponents(string: f.url)?.host, !host.isEmpty {
                    let site = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
                    if key(base) != key(site) { candidate = "\(base) (\(site))" }
                }
                var n = 2
                while used.contains(key(candidate)) {
                    candidate = "\(base) \(n)"
                    n += 1
                }
                f.name = candidate
            }
            used.insert(key(f.name))
            return f
        }
    }
}
