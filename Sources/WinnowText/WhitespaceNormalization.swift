/// Normalizes line breaks and spacing on UTF-8 bytes: CR/CRLF/NEL/U+2028/U+2029 become `\n`; tabs,
/// no-break and other Unicode spaces become one space; runs of spaces collapse; lines are trimmed;
/// runs of blank lines fold to one blank line (a paragraph break); control characters, U+200B
/// (zero-width space), U+2060 (word joiner), U+FEFF (BOM) and U+00AD (soft hyphen) are removed.
/// ZWJ and ZWNJ are kept: they change how Persian, Indic scripts and emoji are written.
public enum WhitespaceNormalization {
    private enum Unit { case text(Int), space(Int), newline(Int), removed(Int) }

    /// The normalized text and the number of lines in the input.
    public static func normalize(_ text: String) -> (text: String, linesIn: Int) {
        var copy = text
        return copy.withUTF8 { normalize(bytes: $0) }
    }

    /// Normalizes `bytes` (valid UTF-8). The output is never longer than the input, so it is written
    /// straight into the new string's storage.
    public static func normalize(bytes: UnsafeBufferPointer<UInt8>) -> (text: String, linesIn: Int) {
        var linesIn = bytes.isEmpty ? 0 : 1
        let count = bytes.count
        let text = String(unsafeUninitializedCapacity: max(count, 1)) { out in
            var written = 0
            var lineHasContent = false
            var pendingSpace = false
            var pendingNewlines = 0
            var index = 0
            while index < count {
                switch classify(bytes, at: index) {
                case .text(let length):
                    if pendingNewlines > 0 {
                        if written > 0 {
                            out[written] = 0x0A
                            written += 1
                            if pendingNewlines > 1 {
                                out[written] = 0x0A
                                written += 1
                            }
                        }
                        pendingNewlines = 0
                    } else if pendingSpace {
                        out[written] = 0x20
                        written += 1
                    }
                    pendingSpace = false
                    for offset in 0..<length { out[written + offset] = bytes[index + offset] }
                    written += length
                    lineHasContent = true
                    index += length
                    // The printable ASCII bytes after it are text too, and so is one space between two
                    // of them (the text and the space `.space` would hold pending): copied without
                    // classifying.
                    while index < count {
                        let byte = bytes[index]
                        if byte &- 0x21 < 0x5E {
                            out[written] = byte
                            written += 1
                            index += 1
                        } else if byte == 0x20 && index + 1 < count && bytes[index + 1] &- 0x21 < 0x5E {
                            out[written] = 0x20
                            out[written + 1] = bytes[index + 1]
                            written += 2
                            index += 2
                        } else {
                            break
                        }
                    }
                case .space(let length):
                    if lineHasContent { pendingSpace = true }
                    index += length
                case .newline(let length):
                    linesIn += 1
                    pendingSpace = false
                    if lineHasContent {
                        pendingNewlines = 1
                        lineHasContent = false
                    } else if pendingNewlines > 0 {
                        pendingNewlines = 2
                    }
                    index += length
                case .removed(let length):
                    index += length
                }
            }
            return written
        }
        if count > 0 && bytes[count - 1] == 0x0A { linesIn -= 1 }
        return (text, linesIn)
    }

    private static func classify(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Unit {
        let byte = bytes[index]
        let count = bytes.count
        if byte < 0x80 {
            switch byte {
            case 0x0A: return .newline(1)
            case 0x0D: return .newline(index + 1 < count && bytes[index + 1] == 0x0A ? 2 : 1)
            case 0x20, 0x09, 0x0B, 0x0C: return .space(1)
            case 0..<0x20, 0x7F: return .removed(1)
            default: return .text(1)
            }
        }
        let length: Int
        switch byte {
        case 0xC0..<0xE0: length = 2
        case 0xE0..<0xF0: length = 3
        case 0xF0...: length = 4
        default: length = 1
        }
        guard index + length <= count else { return .text(count - index) }
        if length == 2 && byte == 0xC2 {
            let next = bytes[index + 1]
            if next == 0x85 { return .newline(2) }
            if next == 0xA0 { return .space(2) }
            if next == 0xAD || next < 0xA0 { return .removed(2) }
        } else if length == 3 {
            let b1 = bytes[index + 1], b2 = bytes[index + 2]
            switch (byte, b1) {
            case (0xE2, 0x80):
                if b2 <= 0x8A || b2 == 0xAF { return .space(3) }
                if b2 == 0x8B { return .removed(3) }
                if b2 == 0xA8 || b2 == 0xA9 { return .newline(3) }
            case (0xE2, 0x81):
                if b2 == 0x9F { return .space(3) }
                if b2 == 0xA0 { return .removed(3) }
            case (0xE3, 0x80) where b2 == 0x80: return .space(3)
            case (0xEF, 0xBB) where b2 == 0xBF: return .removed(3)
            default: break
            }
        }
        return .text(length)
    }
}
