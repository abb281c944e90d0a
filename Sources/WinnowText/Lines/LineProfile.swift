/// What the boilerplate rules look at in one line, computed in one pass over its UTF-8 bytes:
/// its words (lowercased, without punctuation), and its links, handles, hashtags and shape.
public struct LineProfile: Sendable {
    /// Words of the line outside links (letters and digits, apostrophes inside words kept), as
    /// hashes of their lowercased text.
    public var words: [LineWord] = []
    /// Whitespace-separated chunks that are links (`https://…`, `www.…`, `host.tld/path`).
    public var links: [String] = []
    /// Chunks that are `@handles`.
    public var handles = 0
    /// `#hashtags`, glued or not.
    public var hashtags = 0
    /// Letters in the line (any script).
    public var letters = 0
    /// Unicode scalars in the line (spaces included: `line.unicodeScalars.count`).
    public var length = 0
    /// The line ends with sentence punctuation (`. ! ? …` or a closing quote after one, or `:`).
    public var endsSentence = false
    /// The line ends with a clock-style duration such as `02:44` or `1:02:03` (video titles).
    public var endsWithDuration = false
    /// Words that start with a capital letter (ASCII), for title-like lines.
    public var capitalizedWords = 0
    /// The line has a chunk (anything but spaces and tabs), the last of which `endsSentence` reads.
    private var hasChunks = false

    /// Profiles `line`, reading its UTF-8 bytes in place.
    public init(_ line: Substring) {
        var text = line
        text.withUTF8 { bytes in profile(bytes) }
    }

    /// The profile of `profiles`' lines joined with one space each (a sentence wrapped over several
    /// lines), put together from theirs: words never run across the space, and the joined line ends
    /// as the last of them with a chunk ends.
    public init(joining profiles: ArraySlice<LineProfile>) {
        var count = 0
        for index in profiles.indices { count += profiles[index].words.count }
        words.reserveCapacity(count)
        for profile in profiles {
            words += profile.words
            links += profile.links
            handles += profile.handles
            hashtags += profile.hashtags
            letters += profile.letters
            length += profile.length
            capitalizedWords += profile.capitalizedWords
            if profile.hasChunks {
                hasChunks = true
                endsSentence = profile.endsSentence
                endsWithDuration = profile.endsWithDuration
            }
        }
        length += max(profiles.count - 1, 0)
    }

    /// Reads the line in `bytes` chunk by chunk (chunks are separated by spaces and tabs).
    private mutating func profile(_ bytes: UnsafeBufferPointer<UInt8>) {
        // Most words take five bytes or more with their separator: one allocation for most lines.
        words.reserveCapacity(bytes.count / 4 + 1)
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
        var scalars = 0
        for byte in bytes where byte & 0xC0 != 0x80 { scalars &+= 1 }
        length = scalars
        if let lastChunk {
            let last = UnsafeBufferPointer(rebasing: bytes[lastChunk])
            hasChunks = true
            endsSentence = Self.endsSentence(last)
            endsWithDuration = Self.isDuration(last)
        }
    }

    /// Reads one chunk: a link, or words with the hashtags and a handle among them.
    private mutating func chunk(_ bytes: UnsafeBufferPointer<UInt8>) {
        if Self.isLink(bytes) {
            hashtags += Self.hashtags(in: bytes)
            links.append(String(decoding: bytes, as: UTF8.self))
            return
        }
        let trimmed = bytes.drop { $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: "[") }
        if trimmed.first == UInt8(ascii: "@") && trimmed.count > 1 { handles += 1 }
        let count = bytes.count
        // Counted here and added at the end: kept in registers through the loop.
        var letters = 0
        var hashtags = 0
        // Where the word being read started, or -1 between words: a word is one run of bytes.
        var start = -1
        var position = 0
        while position < count {
            let byte = bytes[position]
            if byte >= 0x80 {
                // Non-ASCII: letters of any script belong to words; punctuation such as curly quotes,
                // dashes and bullets (all in U+2000–U+206F or U+00A0–U+00BF) separate them.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                let isPunctuation =
                    (byte == 0xE2 && position + 1 < count && bytes[position + 1] <= 0x81)
                    || (byte == 0xC2 && position + 1 < count && bytes[position + 1] <= 0xBF)
                    || byte == 0xE3 && position + 1 < count && bytes[position + 1] == 0x80
                if isPunctuation {
                    addWord(bytes, from: start, to: position)
                    start = -1
                } else {
                    if start < 0 { start = position }
                    letters += 1
                }
                position = min(position + length, count)
                continue
            }
            let isAlphanumeric = (byte >= 0x30 && byte <= 0x39) || Self.isASCIILetter(byte)
            if isAlphanumeric {
                if start < 0 { start = position }
                if byte > 0x39 { letters += 1 }
            } else if byte == UInt8(ascii: "'") && start >= 0 && position + 1 < count
                && Self.isASCIILetter(bytes[position + 1])
            {
                // An apostrophe inside a word ("don't") belongs to it.
            } else {
                addWord(bytes, from: start, to: position)
                start = -1
                if byte == UInt8(ascii: "#") && position + 1 < count && Self.isLetterStart(bytes[position + 1]) {
                    hashtags += 1
                }
            }
            position += 1
        }
        addWord(bytes, from: start, to: count)
        self.letters += letters
        self.hashtags += hashtags
    }

    /// The `#` signs followed by a letter in `bytes` (`#tag`, or `#a#b` glued).
    private static func hashtags(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "#") && isLetterStart(bytes[index + 1]) { count += 1 }
            index += 1
        }
        return count
    }

    /// Adds the word in `bytes[start..<end]`, if `start` is not -1.
    @inline(__always)
    private mutating func addWord(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        guard start >= 0 else { return }
        if bytes[start] >= UInt8(ascii: "A") && bytes[start] <= UInt8(ascii: "Z") { capitalizedWords += 1 }
        words.append(LineWord(UnsafeBufferPointer(rebasing: bytes[start..<end])))
    }

    private static func isLetterStart(_ byte: UInt8) -> Bool {
        ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A) || byte >= 0xC0
    }

    /// `scheme://…`, `www.…`, or `host.tld/…` with a letter-only top-level domain of two or more letters.
    static func isLink(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        guard count >= 4 else { return false }
        if (bytes[0] | 0x20) == UInt8(ascii: "w") && (bytes[1] | 0x20) == UInt8(ascii: "w")
            && (bytes[2] | 0x20) == UInt8(ascii: "w") && bytes[3] == UInt8(ascii: ".")
        {
            return true
        }
        // Both other forms have a slash, and a "://" cannot start before the byte ahead of the first
        // one: most chunks (words) have no slash and are read once.
        guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else { return false }
        var index = max(slash - 1, 0)
        while index + 2 < count {
            if bytes[index] == UInt8(ascii: ":") && bytes[index + 1] == UInt8(ascii: "/")
                && bytes[index + 2] == UInt8(ascii: "/")
            {
                return true
            }
            index += 1
        }
        guard isASCIILetter(bytes[0]), let dot = bytes[..<slash].lastIndex(of: UInt8(ascii: ".")) else {
            return false
        }
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
        // Groups of digits between colons: two or three, the first of one or two digits, the
        // others of two.
        var groups = 1
        var first = 0
        var digits = 0
        var othersArePairs = true
        for byte in chunk {
            if byte >= 0x30 && byte <= 0x39 {
                digits += 1
            } else if byte == UInt8(ascii: ":") && digits > 0 {
                if groups == 1 { first = digits } else if digits != 2 { othersArePairs = false }
                groups += 1
                digits = 0
            } else {
                return false
            }
        }
        return groups >= 2 && groups <= 3 && first <= 2 && othersArePairs && digits == 2
    }
}
