import WinnowText

/// The phrase rules of the boilerplate filter matched together: one look-up per word of a line
/// finds the phrases of every rule that start there, and the first rule in order that marks the
/// line names it, as if each rule had been tried in turn.
struct LineRuleSet: Sendable {
    /// When a rule applies: the parts of `LineRule` other than its phrases.
    private struct Condition: Sendable {
        let match: LineRule.Match
        let maxWords: Int
        let unpunctuated: Bool
    }

    private let names: [String]
    private let conditions: [Condition]
    /// Every rule's phrases, numbered by their rule's position.
    private let phrases: PhraseIndex
    /// The longest line any rule applies to: longer lines skip them all.
    private let longestLine: Int
    /// The longest line a `contains` rule applies to: in longer ones only phrases at the start count.
    private let longestContainsLine: Int

    /// The rules in the order they are tried.
    init(_ rules: [(name: String, rule: LineRule)]) {
        names = rules.map(\.name)
        conditions = rules.map {
            Condition(match: $0.rule.match, maxWords: $0.rule.maxWords, unpunctuated: $0.rule.unpunctuated)
        }
        phrases = PhraseIndex(
            numbered: rules.enumerated().flatMap { number, rule in rule.rule.phrases.map { (number, $0) } })
        longestLine = rules.map(\.rule.maxWords).max() ?? 0
        longestContainsLine = rules.filter { $0.rule.match == .contains }.map(\.rule.maxWords).max() ?? 0
    }

    /// The name of the first rule that marks a line with this profile, or `nil`.
    func firstMatch(_ profile: LineProfile) -> String? {
        let words = profile.words
        guard !words.isEmpty, words.count <= longestLine else { return nil }
        var first = Int.max
        for start in 0..<(words.count <= longestContainsLine ? words.count : 1) {
            _ = phrases.firstMatch(in: words, at: start) { number, length in
                if number < first && applies(conditions[number], at: start, length: length, profile) { first = number }
                return false
            }
        }
        return first == Int.max ? nil : names[first]
    }

    /// Whether a rule's phrase found at `start`, `length` words long, marks a line with this profile.
    @inline(__always)
    private func applies(_ rule: Condition, at start: Int, length: Int, _ profile: LineProfile) -> Bool {
        guard profile.words.count <= rule.maxWords, !(rule.unpunctuated && profile.endsSentence) else { return false }
        switch rule.match {
        case .whole: return start == 0 && length == profile.words.count
        case .prefix: return start == 0
        case .contains: return true
        }
    }
}
