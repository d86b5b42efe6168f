import ArgumentParser

// Placeholder: replaced by the stage that owns `feedwatch import-opml`.
struct ImportOPMLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import-opml", abstract: "(not yet built)")
    func run() async throws { throw ExitCode.failure }
}
