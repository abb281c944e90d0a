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

    private enum ByteClass: UInt8 { case separator, digit, upper, other }

    private static let asciiTable: [ByteClass] = (0..<128).map { value in
        switch UInt8(value) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return .digit
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return .upper
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return .other
        default: return .separator
        }
    }

    /// The key of `text`.
    public static func key(for text: String) -> Hash128 {
        XXH3.hash128(normalizedBytes(text))
    }

    /// The normalized form that is hashed, as UTF-8 bytes.
    public static func normalizedBytes(_ text: String) -> [UInt8] {
        var source = UnicodeNormalization.isASCII(text) ? text : UnicodeNormalization.nfkc(text).lowercased()
        return source.withUTF8 { bytes in
            var out = [UInt8]()
            out.reserveCapacity(bytes.count)
            var pendingSeparator = false
            var index = 0
            let count = bytes.count
            @inline(__always) func emit(_ byte: UInt8) {
                if pendingSeparator && !out.isEmpty { out.append(0x20) }
                pendingSeparator = false
                out.append(byte)
            }
            while index < count {
                let byte = bytes[index]
                if byte < 0x80 {
                    switch asciiTable[Int(byte)] {
                    case .separator: pendingSeparator = true
                    case .digit: emit(UInt8(ascii: "0"))
                    case .upper: emit(byte | 0x20)
                    case .other: emit(byte)
                    }
                    index += 1
                    continue
                }
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                let end = min(index + length, count)
                let scalar = decodeScalar(bytes, from: index, to: end)
                switch scalar?.properties.generalCategory {
                case .decimalNumber?:
                    emit(UInt8(ascii: "0"))
                case .letterNumber?, .otherNumber?, .uppercaseLetter?, .lowercaseLetter?, .titlecaseLetter?,
                     .modifierLetter?, .otherLetter?, .nonspacingMark?, .spacingMark?, .enclosingMark?:
                    if pendingSeparator && !out.isEmpty { out.append(0x20) }
                    pendingSeparator = false
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                default:
                    pendingSeparator = true
                }
                index = end
            }
            return out
        }
    }

    private static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Unicode.Scalar? {
        var value = UInt32(bytes[start]) & (end - start == 2 ? 0x1F : end - start == 3 ? 0x0F : 0x07)
        for index in (start + 1)..<end { value = value << 6 | (UInt32(bytes[index]) & 0x3F) }
        return Unicode.Scalar(value)
    }
}
