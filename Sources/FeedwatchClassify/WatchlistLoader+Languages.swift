import Foundation
import Yams

/// Language packs: a language's terms for the watchlist's sets, in a file of their own, so that
/// adding a language is a data change.
///
///     # watchlist.yaml
///     languages: [languages/pl.yaml]
///
///     # languages/pl.yaml
///     language: pl
///     sets:
///       sahel_countries: [Mali, Nigr*, Czad*]
///       violence: [atak*, zasadzk*]
///
/// Each list is added to the watchlist's set of that name as the pack's per-language list: its
/// terms count only in stories of that language (declared by the feed, or unknown). Paths are
/// relative to the watchlist's folder; a pack's problems are reported at its own file:line:column.
extension WatchlistLoader {
    struct LanguagePack {
        var language: String
        var sets: [(name: String, terms: [RawTerm], location: SourceLocation)]
    }

    mutating func readPacks(_ node: Node) -> [LanguagePack] {
        guard case .sequence(let sequence) = node else {
            error(node, "'languages:' is a list of language pack files, e.g. [languages/pl.yaml]")
            return []
        }
        var packs: [LanguagePack] = []
        for item in sequence {
            guard case .scalar(let scalar) = item, !scalar.string.isEmpty else {
                error(item, "a language pack is a file path, e.g. languages/pl.yaml")
                continue
            }
            if let pack = readPack(path: scalar.string, node: item) { packs.append(pack) }
        }
        return packs
    }

    private mutating func readPack(path: String, node: Node) -> LanguagePack? {
        let resolved = path.hasPrefix("/") ? path
            : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(path).path
        guard let yaml = try? String(contentsOfFile: resolved, encoding: .utf8) else {
            let exists = FileManager.default.fileExists(atPath: resolved)
            error(node, "cannot read language pack \(resolved): \(exists ? "not readable UTF-8 text" : "no such file")")
            return nil
        }
        var reader = WatchlistLoader(file: resolved, fold: fold)
        let pack = reader.packContents(yaml)
        diagnostics += reader.diagnostics
        return pack
    }

    /// Reads one pack file with this loader (whose `file` is the pack's path).
    private mutating func packContents(_ yaml: String) -> LanguagePack? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            diagnostics.append(yamlDiagnostic(error, yaml: yaml))
            return nil
        } catch {
            diagnostics.append(Diagnostic(SourceLocation(file: file, line: 1, column: 1), "YAML error: \(error)"))
            return nil
        }
        guard let root, case .mapping(let top) = root else {
            error(root, "a language pack is a mapping with 'language:' and 'sets:'")
            return nil
        }
        var language: String?
        var setsNode: Node?
        for (keyNode, value) in top {
            guard let key = scalarString(keyNode) else { continue }
            switch key {
            case "language":
                if case .scalar(let scalar) = value, Self.isLanguageKey(scalar.string), scalar.string != "any" {
                    language = scalar.string
                } else {
                    error(value, "'language:' is a two- or three-letter language code such as pl")
                }
            case "sets": setsNode = value
            default: error(keyNode, "unknown key '\(key)' in a language pack (expected 'language' or 'sets')")
            }
        }
        guard let language else {
            error(root, "the language pack names no 'language:'")
            return nil
        }
        guard let setsNode, case .mapping(let mapping) = setsNode else {
            error(setsNode ?? root, "'sets:' maps the watchlist's set names to this language's terms")
            return nil
        }
        var sets: [(String, [RawTerm], SourceLocation)] = []
        for (keyNode, value) in mapping {
            guard let name = scalarString(keyNode) else { continue }
            sets.append((name, readTermList(value, languages: [language], context: "set '\(name)'"), location(keyNode)))
        }
        return LanguagePack(language: language, sets: sets.map { (name: $0.0, terms: $0.1, location: $0.2) })
    }

    /// Adds each pack's lists to the watchlist's sets; a pack may not invent a set.
    mutating func merge(_ packs: [LanguagePack],
                        into sets: [(String, [RawTerm], SourceLocation)]) -> [(String, [RawTerm], SourceLocation)] {
        guard !packs.isEmpty else { return sets }
        var result = sets
        var index: [String: Int] = [:]
        for (i, set) in sets.enumerated() { index[set.0] = i }
        for pack in packs {
            for set in pack.sets {
                guard let i = index[set.name] else {
                    diagnostics.append(Diagnostic(set.location,
                        "language pack '\(pack.language)' adds to set '\(set.name)', which the watchlist does not define"))
                    continue
                }
                result[i].1 += set.terms
            }
        }
        return result
    }
}
