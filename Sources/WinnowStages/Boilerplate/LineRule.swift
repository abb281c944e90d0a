import WinnowCore
import WinnowText

/// One data rule of the boilerplate filter: phrases that mark a line as boilerplate when they make
/// up the whole line, start it, or appear in it, for lines of at most `maxWords` words.
public struct LineRule: Codable, Sendable, Equatable {
    /// How the phrases are matched against the line's words.
    public enum Match: String, SettingChoice, Sendable {
        /// The line is exactly one of the phrases.
        case whole
        /// The line starts with one of the phrases.
        case prefix
        /// One of the phrases appears in the line.
        case contains
    }

    public var match: Match
    /// The rule applies only to lines of at most this many words.
    public var maxWords: Int
    /// The rule applies only to lines that do not end like a sentence (bylines, credits, headings).
    public var unpunctuated: Bool
    /// Phrases in plain words; case and punctuation are ignored.
    public var phrases: [String]

    public init(_ match: Match, maxWords: Int, unpunctuated: Bool = false, _ phrases: [String]) {
        self.match = match
        self.maxWords = maxWords
        self.unpunctuated = unpunctuated
        self.phrases = phrases
    }

    /// The rule with its phrases split into words, ready to match.
    func compiled() -> CompiledLineRule {
        CompiledLineRule(rule: self, phrases: phrases.map { LineProfile(Substring($0)).words }.filter { !$0.isEmpty })
    }
}

/// A user's rule, with its name (the rule counted in `metadata.dropped_lines`).
public struct NamedLineRule: Codable, Sendable, Equatable {
    public var name: String
    public var match: LineRule.Match
    public var maxWords: Int
    public var unpunctuated: Bool?
    public var phrases: [String]

    var rule: LineRule { LineRule(match, maxWords: maxWords, unpunctuated: unpunctuated ?? false, phrases) }
}

/// A `LineRule` whose phrases are word arrays, indexed by their first word.
struct CompiledLineRule: Sendable {
    let rule: LineRule
    private let byFirstWord: [String: [[String]]]

    init(rule: LineRule, phrases: [[String]]) {
        self.rule = rule
        byFirstWord = Dictionary(grouping: phrases) { $0[0] }
    }

    /// Whether the rule marks a line with this profile.
    func matches(_ profile: LineProfile) -> Bool {
        let words = profile.words
        guard !words.isEmpty, words.count <= rule.maxWords, !(rule.unpunctuated && profile.endsSentence) else {
            return false
        }
        let starts = rule.match == .contains ? Array(words.indices) : [0]
        for start in starts {
            guard let candidates = byFirstWord[words[start]] else { continue }
            for phrase in candidates where start + phrase.count <= words.count {
                let matched = words[start..<start + phrase.count].elementsEqual(phrase)
                if matched && (rule.match != .whole || phrase.count == words.count) { return true }
            }
        }
        return false
    }
}
