import WinnowCore
import WinnowText

/// Puts the text in Unicode NFC, the form every record is written in.
public struct UnicodeNormalizer: Stage {
    public let name = "unicode_nfc"

    public init() {}

    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        document.text = UnicodeNormalization.nfc(document.text)
        return .keep
    }
}
