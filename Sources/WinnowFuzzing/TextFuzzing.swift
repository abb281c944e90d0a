import WinnowText

/// The charsets the decoder harness may declare, picked by the input's first byte: none, the common
/// ones, the wide ones (believed only when the bytes look wide), a stateful one, and a label that
/// names nothing.
private let declaredLabels: [String?] = [
    nil, "utf-8", "windows-1252", "shift_jis", "euc-kr", "gbk", "big5", "iso-2022-jp", "koi8-r", "utf-16le",
    "utf-16be", "utf-16", "x-user-defined", "no-such-charset",
]

/// Decodes `input` as `TextDecoder` does for the daemon's readers. The first byte is not text: its
/// lowest bit turns on the HTML `<meta>` prescan, the rest picks a declared charset. Returns the
/// decoded text, or `nil` when the content was refused as binary (an expected outcome).
@discardableResult
public func fuzzDecoder(_ input: [UInt8]) -> DecodedText? {
    let flags = input.first ?? 0
    let label = declaredLabels[Int(flags >> 1) % declaredLabels.count]
    return try? TextDecoder.decode(Array(input.dropFirst()), declaredCharset: label, html: flags & 1 == 1)
}

/// Extracts the article and its metadata from `input` read as UTF-8 (invalid bytes become U+FFFD, as
/// the decoder would leave them), through libxml2's parser and every scoring pass.
@discardableResult
public func fuzzHTMLExtractor(_ input: [UInt8]) -> ExtractedArticle {
    ArticleExtractor.extract(html: String(decoding: input, as: UTF8.self))
}

/// Runs the byte-level text code of the cleaning stages over `input` read as UTF-8 (invalid bytes
/// become U+FFFD, as the decoder would leave them): markup cleaning and mojibake repair, whitespace
/// normalization, line and paragraph splitting, words, the exact-dedup normal form and MinHash over it (the `html`
/// target covers what is left out before libxml2 parses a page). Returns the sizes of what they
/// made, so that nothing is optimized away.
@discardableResult
public func fuzzTextStages(_ input: [UInt8]) -> Int {
    let text = String(decoding: input, as: UTF8.self)
    let cleaned = MarkupCleaning.clean(text)
    let normalized = WhitespaceNormalization.normalize(cleaned).text
    var total = normalized.byteLines().count + cleaned.byteLines(crlfEndsLine: false).count
    var copy = text
    copy.withUTF8 { bytes in
        var spans: [TextSpan] = []
        TextSpan.lines(in: bytes, into: &spans)
        total += spans.count
        TextSpan.paragraphs(in: bytes, into: &spans)
        total += spans.count
    }
    total += WordTokenizer.words(in: normalized).count
    let normal = ExactKey.normalizedBytes(normalized)
    total += normal.count
    // MinHash reads the normal form eight and sixty-four bytes at a time, up to its last byte.
    for version in MinHasher.Version.allCases {
        let hasher = MinHasher(count: 20, shingleSize: 3, version: version)
        total += hasher.signature(of: hasher.shingles(hasher.wordHashes(normal))).count
    }
    return total
}
