import ArgumentParser
import FeedwatchHTTP
import FeedwatchModel
import FeedwatchParse
import Foundation

/// `feedwatch parse <file-or-url>`: prints the feed as one JSON object on stdout.
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse a feed (RSS, RDF, Atom, JSON Feed) and print it as one JSON object.",
        discussion: """
            Exit status 0 with the JSON on stdout; a recovered, damaged feed also \
            prints a one-line warning on stderr. Any failure prints one line on \
            stderr and exits 1.
            """
    )

    @Argument(help: "A feed file, a file:// URL or an http(s):// URL; - reads standard input.")
    var source: String

    func run() async throws {
        do {
            let (data, base, charset) = try await CommandInput(source: source).load()
            let parsed = try FeedParser.parse(data, baseURL: base, charset: charset)
            if let damage = parsed.damage {
                FileHandle.standardError.write(Data("feedwatch: warning: \(source): damaged feed, recovered (\(damage))\n".utf8))
            }
            try FeedJSON.write(parsed.feed) { try writeAll($0, to: STDOUT_FILENO) }
            let newline: [UInt8] = [0x0A]
            try newline.withUnsafeBytes { try writeAll($0, to: STDOUT_FILENO) }
            // Done: let the kernel reclaim the feed rather than freeing thousands of
            // entries one by one (a measurable share of a big feed's run time).
            Foundation.exit(0)
        } catch let e as ParseError {
            fail("parse: \(source): \(e.reason)")
        } catch let e as HTTPError {
            fail(e.description)
        } catch let e as LoadError {
            fail("parse: \(source): \(e.message)")
        } catch {
            fail("parse: \(source): \(error)")
        }
    }

    private struct LoadError: Error { var message: String }

    /// Writes without the extra copy `FileHandle.write(Data)` makes of a multi-megabyte document.
    private func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw LoadError(message: "cannot write output: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    private func fail(_ line: String) -> Never {
        FileHandle.standardError.write(Data("feedwatch: \(line)\n".utf8))
        Foundation.exit(1)
    }
}
