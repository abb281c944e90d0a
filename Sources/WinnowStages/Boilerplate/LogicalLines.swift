import WinnowText

/// Groups the physical lines of a text into logical lines: in hard-wrapped text (mail, wire copy,
/// old archives, where a sentence runs over several lines of about the same width) a line that
/// fills the width and does not end a sentence continues on the next line. Elsewhere each line is
/// its own logical line. The boilerplate rules judge logical lines.
enum LogicalLines {
    /// Groups of indices into `lines` (non-empty lines only), in order.
    static func group(_ lines: [Substring], filled: [Int], profiles: [LineProfile]) -> [[Int]] {
        let width = wrapWidth(filled.map { lines[$0].unicodeScalars.count })
        var groups: [[Int]] = []
        var current: [Int] = []
        for (position, index) in filled.enumerated() {
            current.append(index)
            let next = position + 1 < filled.count ? filled[position + 1] : nil
            var continues = false
            if let next, next == index + 1 {
                let profile = profiles[position]
                let fillsWidth = width.map { lines[index].unicodeScalars.count * 10 >= $0 * 6 } ?? false
                continues =
                    !profile.endsSentence
                    && (fillsWidth || lines[index].last == "," || breaksMidSentence(profile, next: lines[next]))
            }
            if !continues {
                groups.append(current)
                current = []
            }
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }

    /// A line that ends with a function word, or is followed by a line starting in lower case, stops
    /// in the middle of a sentence: no heading or list item ends like that.
    static func breaksMidSentence(_ profile: LineProfile, next: Substring) -> Bool {
        if let first = next.unicodeScalars.first, first.properties.isLowercase { return true }
        if let last = profile.words.last, continuationWords.contains(last) { return true }
        return false
    }

    private static let continuationWords: Set<String> = [
        "the", "a", "an", "of", "to", "in", "on", "at", "for", "with", "and", "or", "but", "by", "from", "as",
        "that", "which", "who", "its", "their", "his", "her", "our", "is", "are", "was", "were", "be", "will",
        "would", "has", "have", "had", "than", "into", "under", "over", "about", "between",
    ]

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
