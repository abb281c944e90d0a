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
