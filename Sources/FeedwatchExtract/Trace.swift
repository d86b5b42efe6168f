import Foundation
#if canImport(Glibc)
import Glibc
#endif

// TEMPORARY development trace; removed before the branch is done.
enum Trace {
    static let on = getenv("FEEDWATCH_EXTRACT_TRACE") != nil
    static func dump(_ elements: [PageElement], _ blocks: [TextBlock], _ quality: [BlockQuality], _ chrome: [Bool], container: Int) {
        guard on else { return }
        func path(_ i: Int) -> String {
            var parts: [String] = []
            var p = i
            while p >= 0 { parts.append("\(elements[p].tag)\(elements[p].verdict == .none ? "" : "[\(elements[p].verdict)]")"); p = elements[p].parent }
            return parts.reversed().joined(separator: ">")
        }
        var err = "elements \(elements.count) blocks \(blocks.count) container \(path(container))\n"
        for (i, b) in blocks.enumerated() {
            let inC = i >= elements[container].firstBlock && i < elements[container].endBlock
            err += "\(inC ? "*" : " ") \(quality[i]) \(chrome[i] ? "C" : " ") L\(b.length) ld\(String(format: "%.2f", b.linkDensity)) \(path(b.owner).suffix(80)) | \(b.text.prefix(70).replacingOccurrences(of: "\n", with: "/"))\n"
        }
        FileHandle.standardError.write(err.data(using: .utf8)!)
    }
}

enum Tune {
    static func v(_ k: String, _ d: Double) -> Double { getenv(k).flatMap { Double(String(cString: $0)) } ?? d }
    static let neutral = v("FW_N", 0.3)
    static let chrome = v("FW_C", 1)
    static let link = v("FW_L", 0.5)
    static let mode = Int(v("FW_MODE", 1))
    static let look = v("FW_LOOK", 5)
}
