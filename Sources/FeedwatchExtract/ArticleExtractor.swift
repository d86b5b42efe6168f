/// Turns an article page into its title, body text, date, authors and language.
///
/// Pure: bytes in, `Article` out; no I/O. Gzip-compressed input is decompressed; the encoding
/// is the HTTP header's, else the page's `<meta charset>`, else UTF-8 or windows-1252 by the bytes.
public enum ArticleExtractor {
    /// The largest page (after decompression) accepted: far above any article, low enough that
    /// a hostile page cannot exhaust memory.
    public static let maxPageBytes = 32 * 1024 * 1024

    /// - Parameters:
    ///   - page: the page's bytes as served or saved (gzip allowed).
    ///   - url: the page's URL, copied into the result.
    ///   - httpCharset: the charset parameter of the response's Content-Type, if any.
    public static func extract(_ page: [UInt8], url: String? = nil, httpCharset: String? = nil) throws(ExtractError) -> Article {
        var bytes = page
        if Gunzip.isGzip(bytes) { bytes = try Gunzip.decompress(bytes, limit: maxPageBytes) }
        guard bytes.count <= maxPageBytes else { throw .tooLarge(maxPageBytes) }
        guard bytes.contains(where: { $0 > 0x20 }) else { throw .noArticle }
        if isBinary(bytes) { throw .damaged("binary data, not HTML") }
        let page: HTMLPage? = bytes.withUnsafeBufferPointer { buffer in
            let encoding = CharsetSniffer.encoding(of: buffer, httpCharset: httpCharset)
            guard encoding == "windows-1252" else { return HTMLPage(buffer, encoding: encoding) }
            return Windows1252.utf8(buffer).withUnsafeBufferPointer { HTMLPage($0, encoding: "UTF-8") }
        }
        guard let page, let root = page.root else { throw .damaged("no HTML document") }
        var walker = PageWalker()
        walker.walk(root)
        let metadata = walker.metadata
        let title = metadata.title
        let selected = ContentSelector(elements: walker.elements, blocks: walker.blocks, title: title).select()
        var text = selected.map(\.text).joined(separator: "\n")
        // A page whose body is drawn by script carries it only in JSON-LD: trust that copy when
        // the HTML gave nothing or clearly less (a teaser, a paywall stub).
        if let stated = metadata.statedBody, stated.utf8.count >= 200, text.utf8.count * 2 < stated.utf8.count {
            text = stated
        }
        guard !text.isEmpty else { throw .noArticle }
        return Article(url: url, title: title, text: text, published: metadata.published,
                       authors: metadata.authors, language: metadata.language)
    }

    /// Control bytes in the first 4 KiB: text has almost none, images and archives many.
    static func isBinary(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(4096)
        let controls = head.reduce(0) { $0 + ($1 < 0x09 || ($1 > 0x0D && $1 < 0x20) ? 1 : 0) }
        return controls * 100 > head.count
    }
}
