import WinnowCore
import WinnowText

extension Document {
    /// Records how the text was decoded: `metadata.charset` for HTML always, for plain text when it
    /// was not UTF-8 or plain ASCII; `metadata.replaced_chars` when bytes could not be decoded.
    mutating func recordDecoding(_ decoded: DecodedText) {
        if format == .html || !(decoded.charset == .utf8 || decoded.isASCII) {
            metadata["charset"] = .string(decoded.charset.name)
        }
        if decoded.replaced > 0 { metadata["replaced_chars"] = .int(decoded.replaced) }
    }
}
