/// What the boilerplate rules look at in one line, computed in one pass over its UTF-8 bytes:
/// its words (lowercased, without punctuation), and its links, handles, hashtags and shape.
public struct LineProfile: Sendable {
    /// Lowercased words of the line outside links: letters and digits, apostrophes inside words kept.
    public var words: [String] = []
    /// Whitespace-separated chunks that are links (`https://…`, `www.…`, `host.tld/path`).
    public var links: [String] = []
    /// Chunks that are `@handles`.
    public var handles = 0
    /// `#hashtags`, glued or not.
    public var hashtags = 0
    /// Letters in the line (any script).
    public var letters = 0
    /// Unicode scalars in the line, trimmed.
    public var length = 0
    /// The line ends with sentence punctuation (`. ! ? …` or a closing quote after one, or `:`).
    public var endsSentence = false
    /// The line ends with a clock-style duration such as `02:44` or `1:02:03` (video titles).
    public var endsWithDuration = false
    /// Words that start with a capital letter (ASCII), for title-like lines.
    public var capitalizedWords = 0

    /// Profiles `line`.
    public init(_ line: Substring) {
        var text = String(line)
        text.withUTF8 { bytes in profile(bytes) }
    }

    private mutating func profile(_ bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        let count = bytes.count
        var lastChunk: Range<Int>?
        while start < count {
            while start < count && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
            var end = start
            while end < count && bytes[end] != 0x20 && bytes[end] != 0x09 { end += 1 }
            if end > start {
                chunk(UnsafeBufferPointer(rebasing: bytes[start..<end]))
                lastChunk = start..<end
            }
            start = end
        }
        for byte in bytes where byte & 0xC0 != 0x80 { length += 1 }
        if let lastChunk {
            let last = UnsafeBufferPointer(rebasing: bytes[lastChunk])
            endsSentence = Self.endsSentence(last)
            endsWithDuration = Self.isDuration(last)
        }
    }

    private mutating func chunk(_ bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "#") && Self.isLetterStart(bytes[index + 1]) { hashtags += 1 }
            index += 1
        }
        if Self.isLink(bytes) {
            links.append(String(decoding: bytes, as: UTF8.self))
            return
        }
        let trimmed = bytes.drop { $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: "[") }
        if trimmed.first == UInt8(ascii: "@") && trimmed.count > 1 { handles += 1 }
        var word: [UInt8] = []
        func finish() {
            guard !word.isEmpty else { return }
            if word.first.map({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) == true { capitalizedWords += 1 }
            var lowered = String(decoding: word, as: UTF8.self)
            if word.contains(where: { $0 >= 0x80 || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) }) {
                lowered = lowered.lowercased()
            }
            words.append(lowered)
            word.removeAll(keepingCapacity: true)
        }
        var position = 0
        let all = bytes
        while position < all.count {
            let byte = all[position]
            let isAlphanumeric = (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
            if byte >= 0x80 {
                // Non-ASCII: letters of any script belong to words; punctuation such as curly quotes,
                // dashes and bullets (all in U+2000–U+206F or U+00A0–U+00BF) separate them.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                let end = min(position + length, all.count)
                let isPunctuation =
                    (byte == 0xE2 && position + 1 < all.count && all[position + 1] <= 0x81)
                    || (byte == 0xC2 && position + 1 < all.count && all[position + 1] <= 0xBF)
                    || byte == 0xE3 && position + 1 < all.count && all[position + 1] == 0x80
                if isPunctuation {
                    finish()
                } else {
                    word.append(contentsOf: UnsafeBufferPointer(rebasing: all[position..<end]))
                    letters += 1
                }
                position = end
                continue
            }
            if isAlphanumeric {
                word.append(byte)
                if byte > 0x39 { letters += 1 }
            } else if byte == UInt8(ascii: "'") && !word.isEmpty && position + 1 < all.count
                && ((all[position + 1] | 0x20) >= 0x61 && (all[position + 1] | 0x20) <= 0x7A)
            {
                word.append(byte)
            } else {
                finish()
            }
            position += 1
        }
        finish()
    }

    private static func isLetterStart(_ byte: UInt8) -> Bool {
        ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A) || byte >= 0xC0
    }

    /// `scheme://…`, `www.…`, or `host.tld/…` with a letter-only top-level domain of two or more letters.
    static func isLink(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        guard count >= 4 else { return false }
        var index = 0
        while index + 2 < count {
            if bytes[index] == UInt8(ascii: ":") && bytes[index + 1] == UInt8(ascii: "/")
                && bytes[index + 2] == UInt8(ascii: "/")
            {
                return true
            }
            index += 1
        }
        if (bytes[0] | 0x20) == UInt8(ascii: "w") && (bytes[1] | 0x20) == UInt8(ascii: "w")
            && (bytes[2] | 0x20) == UInt8(ascii: "w") && bytes[3] == UInt8(ascii: ".")
        {
            return true
        }
        guard isASCIILetter(bytes[0]), let slash = bytes.firstIndex(of: UInt8(ascii: "/")),
            let dot = bytes[..<slash].lastIndex(of: UInt8(ascii: "."))
        else { return false }
        let tld = bytes[(dot + 1)..<slash]
        return tld.count >= 2 && tld.allSatisfy(isASCIILetter)
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func endsSentence(_ chunk: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = chunk.count - 1
        // Skip closing quotes and brackets: `… said.”` or `(AP).`
        while index >= 0 {
            let byte = chunk[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: ")") {
                index -= 1
            } else if index >= 2 && chunk[index - 2] == 0xE2 && chunk[index - 1] == 0x80
                && (byte == 0x9D || byte == 0x99)
            {
                index -= 3
            } else {
                break
            }
        }
        guard index >= 0 else { return false }
        let byte = chunk[index]
        if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?")
            || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ";")
        {
            return true
        }
        // `…` (U+2026) and the full-width stops of CJK text (U+3002, U+FF01, U+FF1F).
        if index >= 2 {
            let tail = (chunk[index - 2], chunk[index - 1], byte)
            return tail == (0xE2, 0x80, 0xA6) || tail == (0xE3, 0x80, 0x82) || tail == (0xEF, 0xBC, 0x81)
                || tail == (0xEF, 0xBC, 0x9F)
        }
        return false
    }

    private static func isDuration(_ chunk: UnsafeBufferPointer<UInt8>) -> Bool {
        var groups: [Int] = [0]
        for byte in chunk {
            if byte >= 0x30 && byte <= 0x39 {
                groups[groups.count - 1] += 1
            } else if byte == UInt8(ascii: ":") && groups.last! > 0 {
                groups.append(0)
            } else {
                return false
            }
        }
        return groups.count >= 2 && groups.count <= 3 && groups.first! <= 2 && groups.dropFirst().allSatisfy { $0 == 2 }
    }
}
