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
        var text = text
        return normalizedBytes(text, folding: text.withUTF8(folding))
    }

    /// The normalized form of `text` with `folding` applied first.
    static func normalizedBytes(_ text: String, folding: Folding) -> [UInt8] {
        var text = text
        switch folding {
        case .none:
            return text.withUTF8(normalized)
        case .whole:
            var source = UnicodeNormalization.nfkc(text).lowercased()
            return source.withUTF8(normalized)
        case .scalars:
            let common = CommonScalars.shared
            let folded = text.withUTF8 { bytes in
                [UInt8](unsafeUninitializedCapacity: bytes.count) { out, initialized in
                    var written = 0
                    var index = 0
                    while index < bytes.count {
                        if bytes[index] < 0x80 {
                            out[written] = bytes[index]
                            written += 1
                            index += 1
                            continue
                        }
                        let (scalar, length) = UTF8Scalar.decode(bytes, at: index)
                        // `folding` chose this path only if every such scalar has a fold.
                        let range = common.keyFold[CommonScalars.slot(scalar)!]!
                        for offset in range { out[written] = common.bytes[Int(offset)]; written += 1 }
                        index += length
                    }
                    initialized = written
                }
            }
            return folded.withUnsafeBufferPointer(normalized)
        }
    }

    private static func normalized(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { out, initialized in
            initialized = normalize(bytes, into: out)
        }
    }

    /// How NFKC and lowercasing are applied before the byte loop.
    enum Folding {
        /// Not at all: no scalar changes under NFKC_Casefold, and none is a combining mark. ASCII
        /// upper case is folded by the byte loop.
        case none
        /// Scalar by scalar (`CommonScalars`): some scalar changes, and every non-ASCII scalar lies
        /// in the common blocks with a fold of its own, so the whole string folds as they do.
        case scalars
        /// On the whole string, through Foundation and the standard library.
        case whole
    }

    /// Which folding `bytes` (valid UTF-8) needs. The whole-string conversion is the reference:
    /// the scalar-by-scalar one is taken only where it gives the same bytes.
    static func folding(_ bytes: UnsafeBufferPointer<UInt8>) -> Folding {
        let common = CommonScalars.shared
        var changes = false
        var outside = false
        var index = CommonScalars.nextNonASCII(bytes, from: 0)
        while index < bytes.count {
            let (scalar, length) = UTF8Scalar.decode(bytes, at: index)
            index = CommonScalars.nextNonASCII(bytes, from: index + length)
            if let slot = CommonScalars.slot(scalar) {
                guard !common.keyTrigger[slot] else {
                    if common.keyFold[slot] == nil { return .whole }
                    changes = true
                    continue
                }
            } else {
                let properties = Unicode.Scalar(scalar)!.properties
                if properties.changesWhenNFKCCaseFolded || properties.canonicalCombiningClass != .notReordered {
                    return .whole
                }
                outside = true
            }
        }
        guard changes else { return .none }
        return outside ? .whole : .scalars
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
        let common = CommonScalars.shared
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
                let (scalar, length) = UTF8Scalar.decode(bytes, at: index)
                index = min(index + length, count)
                switch common.keyClass(of: scalar) {
                case .digit:
                    single = UInt8(ascii: "0")
                case .kept:
                    single = 0
                case .separator:
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
}
