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
        isASCII(text) ? text : text.precomposedStringWithCanonicalMapping
    }

    /// Compatibility composition (NFKC), used only for hashing keys: it folds ligatures, full-width
    /// forms and the like, which must not change the text users read.
    public static func nfkc(_ text: String) -> String {
        isASCII(text) ? text : text.precomposedStringWithCompatibilityMapping
    }
}
