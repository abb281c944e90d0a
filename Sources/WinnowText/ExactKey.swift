import WinnowCore

/// The exact-dedup key: XXH3-128 of the text in a normalized form that ignores differences no
/// reader cares about. The form is versioned because changing it changes every stored key.
///
/// Version 1: NFKC; lowercase; every decimal digit becomes `0` (a re-sent story with one corrected
/// figure is the same story); runs of punctuation, symbols, whitespace and control or format
/// characters become one space; leading and trailing spaces are trimmed.
public enum ExactKey {
    /// The normalization version; stored beside the keys.
    public static let version = 1

    /// What each ASCII byte becomes: a digit `0`, a letter lower case, anything else 0 (a separator).
    private static let asciiFold: [UInt8] = (0..<128).map { value in
        switch UInt8(value) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt8(value) | 0x20
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt8(value)
        default: return 0
        }
    }

    /// The key of `text`.
    public static func key(for text: String) -> Hash128 {
        XXH3.hash128(normalizedBytes(text))
    }

    /// The normalized form that is hashed, as UTF-8 bytes (never longer than the input's UTF-8).
    public static func normalizedBytes(_ text: String) -> [UInt8] {
        var source = needsFolding(text) ? UnicodeNormalization.nfkc(text).lowercased() : text
        return source.withUTF8 { bytes in
            [UInt8](unsafeUninitializedCapacity: bytes.count) { out, initialized in
                initialized = normalize(bytes, into: out)
            }
        }
    }

    /// Whether NFKC and lowercasing can change anything beyond ASCII upper case (which the byte loop
    /// folds itself): some scalar changes under NFKC_Casefold, or a combining mark could compose with
    /// its neighbour. Most text has neither, and skips the costly whole-string conversions.
    static func needsFolding(_ text: String) -> Bool {
        if UnicodeNormalization.isASCII(text) { return false }
        for scalar in text.unicodeScalars where scalar.value >= 0x80 {
            let properties = scalar.properties
            if properties.changesWhenNFKCCaseFolded || properties.canonicalCombiningClass != .notReordered {
                return true
            }
        }
        return false
    }

    /// Writes the normalized form of `bytes` into `out` and returns its length.
    private static func normalize(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>)
        -> Int
    {
        var written = 0
        var pendingSeparator = false
        var index = 0
        let count = bytes.count
        let fold = Self.asciiFold  // read once: a static is a lazy global, checked on every access
        while index < count {
            let byte = bytes[index]
            let start = index
            var single: UInt8  // the one byte to write, or 0 to copy bytes[start..<index]
            if byte < 0x80 {
                index += 1
                single = fold[Int(byte)]
                if single == 0 {
                    pendingSeparator = true
                    continue
                }
            } else {
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                index = min(index + length, count)
                switch decodeScalar(bytes, from: start, to: index)?.properties.generalCategory {
                case .decimalNumber?:
                    single = UInt8(ascii: "0")
                case .letterNumber?, .otherNumber?, .uppercaseLetter?, .lowercaseLetter?, .titlecaseLetter?,
                    .modifierLetter?, .otherLetter?, .nonspacingMark?, .spacingMark?, .enclosingMark?:
                    single = 0
                default:
                    pendingSeparator = true
                    continue
                }
            }
            if pendingSeparator {
                if written > 0 {
                    out[written] = 0x20
                    written += 1
                }
                pendingSeparator = false
            }
            if single != 0 {
                out[written] = single
                written += 1
                // The ASCII letters and digits that follow are folded in a tight loop.
                while index < count, bytes[index] < 0x80 {
                    let folded = fold[Int(bytes[index])]
                    guard folded != 0 else { break }
                    out[written] = folded
                    written += 1
                    index += 1
                }
            } else {
                for offset in start..<index {
                    out[written] = bytes[offset]
                    written += 1
                }
            }
        }
        return written
    }

    private static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Unicode
        .Scalar?
    {
        var value = UInt32(bytes[start]) & (end - start == 2 ? 0x1F : end - start == 3 ? 0x0F : 0x07)
        for index in (start + 1)..<end { value = value << 6 | (UInt32(bytes[index]) & 0x3F) }
        return Unicode.Scalar(value)
    }
}
