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

    /// Before the story, when furniture is there: short lines are navigation, datelines and teasers,
    /// except the title (the last short line there that no rule marks), and a lone paragraph among
    /// furniture is furniture.
    private mutating func dropHead(before first: Int) {
        guard hasFurniture(0..<first) else { return }
        let title = (0..<first).last { verdicts[$0] == nil && classes[$0] == .short && profiles[$0].words.count >= 3 }
        for index in 0..<first where verdicts[index] == nil && index != title {
            let lone =
                classes[index] == .content && (index == 0 || verdicts[index - 1] != nil) && verdicts[index + 1] != nil
            if classes[index] == .short || lone { verdicts[index] = "page_head" }
        }
    }

    /// Whether a rule recognised furniture among these lines: only then are the short lines around
    /// it suspect (a table or a list closing an article is content when nothing else is furniture).
    private func hasFurniture(_ range: Range<Int>) -> Bool {
        range.contains { if case .boilerplate(let rule) = classes[$0] { rule != "no_text" } else { false } }
    }

    /// After the story, when furniture is there, short lines are furniture too, except a closing
    /// sentence right after the last paragraph.
    private mutating func dropTail(after last: Int) {
        guard hasFurniture((last + 1)..<classes.count) else { return }
        for index in (last + 1)..<classes.count where verdicts[index] == nil {
            let closing = index == last + 1 && profiles[index].endsSentence && profiles[index].words.count >= 5
            if !closing { verdicts[index] = "page_tail" }
        }
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
        for index in classes.indices where !dropped[index] {
            guard index >= 1, index + 1 < classes.count, dropped[index - 1], dropped[index + 1] else { continue }
            let window = [index - 2, index - 1, index + 1, index + 2].filter { classes.indices.contains($0) }
            if window.filter({ dropped[$0] }).count >= 3 { verdicts[index] = "boilerplate_run" }
        }
    }

    /// A headline-like line inside the story that shares almost no words with the rest of the page
    /// is a teaser for another story ("injected" headlines).
    private mutating func dropUnrelatedHeadlines(between first: Int, and last: Int) {
        guard maximumOverlap > 0 else { return }
        let candidates = (first...last).filter {
            verdicts[$0] == nil && classes[$0] == .short && !profiles[$0].endsSentence && profiles[$0].words.count >= 4
        }
        guard !candidates.isEmpty else { return }
        var vocabulary: [String: Int] = [:]
        let keys = profiles.map { Set($0.words.compactMap(Self.key)) }
        for (index, words) in keys.enumerated() where verdicts[index] == nil {
            for word in words { vocabulary[word, default: 0] += 1 }
        }
        for index in candidates {
            let words = keys[index]
            guard words.count >= 4 else { continue }
            let shared = words.filter { (vocabulary[$0] ?? 0) > 1 }.count
            if Double(shared) / Double(words.count) < maximumOverlap { verdicts[index] = "unrelated_headline" }
        }
    }

    /// A comparable form of a content word (four letters or more, not a function word), or `nil`.
    private static func key(_ word: String) -> String? {
        guard word.count >= 4, !functionWords.contains(word) else { return nil }
        return word.hasSuffix("s") ? String(word.dropLast()) : word
    }

    private static let functionWords: Set<String> = [
        "that", "this", "there", "their", "they", "them", "then", "than", "these", "those", "with", "from", "have",
        "were", "been", "also", "will", "would", "could", "should", "about", "into", "over", "after", "before",
        "what", "when", "where", "which", "while", "who", "your", "said", "says", "more", "most", "some", "such",
        "only", "other", "just", "very", "here", "being", "does", "did", "done", "each", "much", "many",
    ]
}
