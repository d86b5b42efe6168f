import Foundation

// Built two ways. With `-DFUZZING` and `-sanitize=fuzzer` (scripts/fuzz), libFuzzer supplies
// `main` and calls the entry point below, for the target named by FEEDWATCH_FUZZ_TARGET.
// Without, `feedwatch-fuzz TARGET FILE...` replays inputs (a crash the fuzzer found, a corpus)
// through the same code, so a finding can be reproduced and debugged in an ordinary build.

private let fuzzTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["FEEDWATCH_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("feedwatch-fuzz: set FEEDWATCH_FUZZ_TARGET to one of: \(names)\n".utf8))
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    fuzzTarget.run(data)
    return 0
}

#if FUZZING
// SwiftPM links an executable's `main` under the name below; libFuzzer's driver is started from
// it, with the fuzzer's own command line.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<CInt>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                       _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("feedwatch_fuzz_main")
func fuzzDriverMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return runDriver(&count, &vector) { bytes, length in fuzzOneInput(bytes, length) }
}
#else
@main
struct Replay {
    static func main() {
        let args = CommandLine.arguments.dropFirst()
        guard let name = args.first, let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            FileHandle.standardError.write(Data("usage: feedwatch-fuzz \(names) FILE-OR-DIR...\n".utf8))
            exit(2)
        }
        var count = 0
        for path in args.dropFirst() {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                FileHandle.standardError.write(Data("feedwatch-fuzz: \(path): no such file\n".utf8))
                exit(1)
            }
            let files = isDir.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                target.run(data)
                count += 1
            }
        }
        print("feedwatch-fuzz \(name): \(count) inputs replayed, no crash")
    }
}
#endif
