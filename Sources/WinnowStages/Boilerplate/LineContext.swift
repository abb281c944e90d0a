import WinnowText

/// Decides which lines of a page are boilerplate once each line has been classified alone: page
/// furniture comes in runs at the head and the tail of a page and around embedded blocks, while a
/// short line between paragraphs of the story is a sub-heading and stays.
struct LineContext {
    private let classes: [LineClass]
    private let profiles: [LineProfile]
    private let maximumOverlap: Double
    /// The rule that drops each line, or `nil` to keep it.
    private(set) var verdicts: [String?]

    init(classes: [LineClass], profiles: [LineProfile], unrelatedHeadlineMaxOverlap: Double) {
        self.classes = classes
        self.profiles = profiles
        self.maximumOverlap = unrelatedHeadlineMaxOverlap
        verdicts = classes.map { if case .boilerplate(let rule) = $0 { rule } else { nil } }
        guard let last = classes.lastIndex(of: .content) else { return }
        // The story starts at its first two consecutive paragraphs (or its only paragraph).
        let first =
            classes.indices.first { classes[$0] == .content && $0 + 1 < classes.count && classes[$0 + 1] == .content }
            ?? classes.firstIndex(of: .content)!
        dropHead(before: first)
        dropTail(after: last)
        dropRuns()
        dropUnrelatedHeadlines(between: first, and: last)
    }

    /// Before the story, page furniture (navigation, datelines, bylines, embeds) comes first: short
    /// lines before the last furniture line there go with it, as does a lone paragraph between
    /// furniture lines. Short lines after it (the title, a standfirst, a list opening the story) stay.
    private mutating func dropHead(before first: Int) {
        guard let lastFurniture = (0..<first).last(where: { isFurniture($0) }) else { return }
        // The title: the last short line before the story that no rule marks, wherever the
        // furniture around it is ("Title / date / byline / story").
        let title = (0..<first).last { verdicts[$0] == nil && classes[$0] == .short && profiles[$0].words.count >= 3 }
        for index in 0..<lastFurniture where verdicts[index] == nil && index != title {
            let lone =
                classes[index] == .content && (index == 0 || verdicts[index - 1] != nil) && verdicts[index + 1] != nil
            if classes[index] == .short || lone { verdicts[index] = "page_head" }
        }
        // A short line that repeats a furniture line's words (the headline again after a breadcrumb
        // that carries it) is furniture too.
        let furniture = (0...lastFurniture).filter { isFurniture($0) }.map { profiles[$0].words }
        for index in (lastFurniture + 1)..<first
        where verdicts[index] == nil && classes[index] == .short && index != title {
            let words = profiles[index].words
            guard words.count >= 3 else { continue }
            if furniture.contains(where: { Self.contains($0, words) }) { verdicts[index] = "page_head" }
        }
    }

    /// Whether the words of `part` appear in `words`, in order and together.
    private static func contains(_ words: [LineWord], _ part: [LineWord]) -> Bool {
        guard part.count <= words.count else { return false }
        return (0...(words.count - part.count)).contains {
            words[$0..<$0 + part.count].elementsEqual(part) { $0.hash == $1.hash }
        }
    }

    /// After the story, the page's closing blocks (forms, link lists, pitches, credits) come last:
    /// short lines after the first such line go with them. Short lines between the story and that
    /// line (a list or table that ends the story) stay, as do lines after a lone embed or link.
    private mutating func dropTail(after last: Int) {
        guard let firstBlock = ((last + 1)..<classes.count).first(where: { isBlockFurniture($0) }) else { return }
        for index in (firstBlock + 1)..<classes.count where verdicts[index] == nil && classes[index] == .short {
            verdicts[index] = "page_tail"
        }
    }

    private func isFurniture(_ index: Int) -> Bool {
        if case .boilerplate(let rule) = classes[index] { rule != "no_text" } else { false }
    }

    private func isBlockFurniture(_ index: Int) -> Bool {
        if case .boilerplate(let rule) = classes[index] { Self.blockRules.contains(rule) } else { false }
    }

    /// Furniture that gathers in blocks around the end of a story (credits, bios, pitches, forms,
    /// link lists), unlike embeds and captions, which sit between the story's own paragraphs.
    private static let blockRules: Set<String> = [
        "author_bio", "credits", "promotion", "newsletter", "podcast_pitch", "related", "comment_form", "link_text",
        "share", "advert", "legal", "navigation", "source_line", "breadcrumb", "page_head", "page_tail",
    ]

    /// A paragraph with block furniture right before and after it, inside a run of it (three of its
    /// four nearest lines), belongs to the run: a pitch, a teaser or a bio between credits.
    private mutating func dropRuns() {
        let dropped = verdicts.map { $0.map(Self.blockRules.contains) ?? false }
        for index in classes.indices where verdicts[index] == nil {
            guard index >= 1, index + 1 < classes.count, dropped[index - 1], dropped[index + 1] else { continue }
            let window = [index - 2, index - 1, index + 1, index + 2].filter { classes.indices.contains($0) }
            if window.filter({ dropped[$0] }).count >= 3 { verdicts[index] = "boilerplate_run" }
        }
    }

    /// A headline-like line inside the story that shares almost no words with the rest of the page
    /// is a teaser for another story ("injected" headlines).
    private mutating func dropUnrelatedHeadlines(between first: Int, and last: Int) {
        guard maximumOverlap > 0 else { return }
        // Only a lone line between paragraphs: a short line next to other short lines is a list item.
        let candidates = (first...last).filter {
            verdicts[$0] == nil && classes[$0] == .short && !profiles[$0].endsSentence && profiles[$0].words.count >= 4
                && $0 > 0 && $0 + 1 < classes.count && classes[$0 - 1] == .content && classes[$0 + 1] == .content
        }
        guard !candidates.isEmpty else { return }
        // The distinct keys of each kept line, one line's after another, and how many lines hold each.
        var keys: [UInt64] = []
        var lineKeys = Array(repeating: 0..<0, count: profiles.count)
        var vocabulary = WordTable(expected: 256)
        for (index, profile) in profiles.enumerated() where verdicts[index] == nil {
            let start = keys.count
            for word in profile.words {
                if let key = Self.key(word) { keys.append(key) }
            }
            keys[start...].sort()
            var end = start
            for position in start..<keys.count where position == start || keys[position] != keys[end - 1] {
                keys[end] = keys[position]
                end += 1
            }
            keys.removeSubrange(end...)
            lineKeys[index] = start..<end
            for key in keys[start..<end] { vocabulary.increment(key) }
        }
        for index in candidates {
            let words = keys[lineKeys[index]]
            guard words.count >= 4 else { continue }
            let shared = words.filter { (vocabulary[$0] ?? 0) > 1 }.count
            if Double(shared) / Double(words.count) < maximumOverlap { verdicts[index] = "unrelated_headline" }
        }
    }

    /// A comparable form of a content word (four letters or more, not a function word): the hash
    /// of the word without a plural "s", or `nil`.
    private static func key(_ word: LineWord) -> UInt64? {
        guard word.characters >= 4, !functionWords.contains(word.hash) else { return nil }
        return word.stem
    }

    private static let functionWords = WordTable(words: [
        "that", "this", "there", "their", "they", "them", "then", "than", "these", "those", "with", "from", "have",
        "were", "been", "also", "will", "would", "could", "should", "about", "into", "over", "after", "before",
        "what", "when", "where", "which", "while", "who", "your", "said", "says", "more", "most", "some", "such",
        "only", "other", "just", "very", "here", "being", "does", "did", "done", "each", "much", "many",
    ])
}
