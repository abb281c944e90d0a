import WinnowText

/// Groups the physical lines of a text into logical lines: in hard-wrapped text (mail, wire copy,
/// old archives, where a sentence runs over several lines of about the same width) a line that
/// fills the width and does not end a sentence continues on the next line. Elsewhere each line is
/// its own logical line. The boilerplate rules judge logical lines.
enum LogicalLines {
    /// The logical lines, in order, as ranges of positions in `filled` (the indices of the non-empty
    /// lines of `lines`, whose profiles are `profiles`): the lines of one are consecutive.
    static func group(_ lines: [Substring], filled: [Int], profiles: [LineProfile]) -> [Range<Int>] {
        // A profile's length is its line's count of Unicode scalars.
        let width = wrapWidth(profiles.map(\.length))
        var groups: [Range<Int>] = []
        var start = 0
        for (position, index) in filled.enumerated() {
            let next = position + 1 < filled.count ? filled[position + 1] : nil
            var continues = false
            if let next, next == index + 1 {
                let profile = profiles[position]
                let fillsWidth = width.map { profile.length * 10 >= $0 * 6 } ?? false
                continues =
                    !profile.endsSentence
                    && (fillsWidth || endsWithComma(lines[index]) || breaksMidSentence(profile, next: lines[next]))
            }
            if !continues {
                groups.append(start..<position + 1)
                start = position + 1
            }
        }
        return groups
    }

    /// Whether the last character of `line` is a comma (the byte first: most lines end otherwise).
    private static func endsWithComma(_ line: Substring) -> Bool {
        line.utf8.last == UInt8(ascii: ",") && line.last == ","
    }

    /// A line that ends with a function word, or is followed by a line starting in lower case, stops
    /// in the middle of a sentence: no heading or list item ends like that.
    static func breaksMidSentence(_ profile: LineProfile, next: Substring) -> Bool {
        // Of ASCII, only a–z are lowercase: the Unicode properties are looked up for the rest.
        if let byte = next.utf8.first, byte < 0x80 {
            if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { return true }
        } else if let first = next.unicodeScalars.first, first.properties.isLowercase {
            return true
        }
        if let last = profile.words.last, continuationWords.contains(last.hash) { return true }
        return false
    }

    private static let continuationWords = WordTable(words: [
        "the", "a", "an", "of", "to", "in", "on", "at", "for", "with", "and", "or", "but", "by", "from", "as",
        "that", "which", "who", "its", "their", "his", "her", "our", "is", "are", "was", "were", "be", "will",
        "would", "has", "have", "had", "than", "into", "under", "over", "about", "between",
    ])

    /// The wrap width when the text looks hard-wrapped: the longest lines are at most 100
    /// characters and most lines fill at least three quarters of that width. `nil` otherwise.
    static func wrapWidth(_ lengths: [Int]) -> Int? {
        guard lengths.count >= 4 else { return nil }
        let sorted = lengths.sorted()
        let width = sorted[(sorted.count * 9) / 10]
        guard width >= 30, width <= 100 else { return nil }
        let filling = lengths.filter { $0 * 4 >= width * 3 && $0 <= width + 10 }.count
        return filling * 2 >= lengths.count ? width : nil
    }
}
