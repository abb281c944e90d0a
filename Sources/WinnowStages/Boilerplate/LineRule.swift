import WinnowCore

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
