import Foundation

/// Unicode normalization forms, with an ASCII fast path (ASCII text is already in every form).
public enum UnicodeNormalization {
    /// Whether every byte of the string is ASCII.
    public static func isASCII(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { bytes in
            var accumulated: UInt8 = 0
            for byte in bytes { accumulated |= byte }
            return accumulated < 0x80
        }
    }

    /// Canonical composition (NFC), the form records are written in.
    public static func nfc(_ text: String) -> String {
        var copy = text
        // Most text (ASCII, and most of the common scripts) is NFC already, as the common scalars'
        // table tells without Foundation's conversion.
        if copy.withUTF8(CommonScalars.shared.isComposed) { return text }
        return text.precomposedStringWithCanonicalMapping
    }

    /// Compatibility composition (NFKC), used only for hashing keys: it folds ligatures, full-width
    /// forms and the like, which must not change the text users read.
    public static func nfkc(_ text: String) -> String {
        isASCII(text) ? text : text.precomposedStringWithCompatibilityMapping
    }
}

extension UnicodeNormalization {
    /// Appends `text` (valid UTF-8) lowercased, byte for byte what `String.lowercased()` writes:
    /// each scalar's lowercase mapping in turn, the common ones from a table.
    public static func appendLowercased(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        CommonScalars.shared.appendLowercased(text, to: &out)
    }
}
