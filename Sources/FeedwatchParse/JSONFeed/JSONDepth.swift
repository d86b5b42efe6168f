/// Foundation's JSON reader refuses documents nesting deeper than 512 with a vague "not valid
/// JSON"; this finds where, so the error can say so.
enum JSONDepth {
    static let max = 512

    /// The line where nesting first goes deeper than `max`, or nil.
    static func tooDeep(_ b: UnsafeRawBufferPointer) -> Int? {
        var depth = 0
        var line = 1
        var inString = false
        var escaped = false
        for c in b {
            if c == 0x0A { line += 1 }
            if inString {
                if escaped { escaped = false } else if c == 0x5C { escaped = true } else if c == 0x22 { inString = false }
                continue
            }
            switch c {
            case 0x22: inString = true
            case 0x5B, 0x7B:
                depth += 1
                if depth > max { return line }
            case 0x5D, 0x7D: depth -= 1
            default: break
            }
        }
        return nil
    }
}
