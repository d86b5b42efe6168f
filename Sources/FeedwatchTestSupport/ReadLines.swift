import Foundation

/// The lines of a text file (a JSON Lines sink's output), without the final newline's empty line;
/// none when the file does not exist.
public func readLines(_ path: String) -> [String] {
    guard let d = FileManager.default.contents(atPath: path) else { return [] }
    return String(decoding: d, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        .dropLast().map(String.init)
}
