import ArgumentParser
import FeedwatchExtract
import FeedwatchHTTP
import Foundation

/// `feedwatch extract <file-or-url>`: the article in a page, as text or one JSON object.
struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract an article page's title, body text, date, authors and language.",
        discussion: """
            FILE may be gzip-compressed. Without --json prints the title, a blank line and the \
            body (one paragraph per line). With --json prints one object: \
            {"url","title","text","published","authors","language"}. A page with no article, \
            or one that cannot be read, prints one line on stderr and exits 1.
            """
    )

    @Argument(help: "An HTML file (gzip allowed), a file:// URL or an http(s):// URL; - reads standard input.")
    var source: String

    @Option(help: "The page's URL, reported in the output (defaults to SOURCE when it is a URL).")
    var url: String?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() async throws {
        do {
            let (data, finalURL, charset) = try await CommandInput(source: source).load()
            let article = try ArticleExtractor.extract([UInt8](data), url: url ?? finalURL, httpCharset: charset)
            if json {
                print(article.json)
            } else {
                if let title = article.title { print(title + "\n") }
                print(article.text)
            }
        } catch let e as ExtractError {
            fail("\(e.reason): \(source)")
        } catch let e as HTTPError {
            fail(e.description)
        } catch {
            fail("extract: \(source): \(error)")
        }
    }

    private func fail(_ line: String) -> Never {
        FileHandle.standardError.write(Data("feedwatch: \(line)\n".utf8))
        Foundation.exit(1)
    }
}
