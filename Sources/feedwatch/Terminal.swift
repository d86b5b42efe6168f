import Foundation

/// Small terminal helpers shared by the operator's commands.
struct Terminal: Sendable {
    let handle: FileHandle
    let fd: Int32

    static let standardOutput = Terminal(handle: .standardOutput, fd: 1)
    static let standardError = Terminal(handle: .standardError, fd: 2)

    func write(_ s: String) { handle.write(Data(s.utf8)) }

    /// Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
    var wantsColour: Bool {
        isatty(fd) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }
}
