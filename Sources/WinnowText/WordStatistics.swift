import WinnowCore

/// What Gopher's quality rules measure on the words of a text.
public struct WordStatistics: Sendable, Equatable {
    /// All words.
    public var count = 0
    /// Words with at least one letter.
    public var withLetters = 0
    /// Words of scripts written with spaces (not single Han, Kana, Thai or Lao characters).
    public var segmented = 0
    /// Characters in those words.
    public var segmentedCharacters = 0

    /// Counts `words`.
    public init(_ words: [WordSpan]) {
        count = words.count
        for word in words {
            if word.hasLetter { withLetters += 1 }
            if !word.isCharacter {
                segmented += 1
                segmentedCharacters += word.characters
            }
        }
    }

    /// The mean length of the space-separated words, or `nil` when most words are single characters of
    /// a script written without spaces (a mean word length says nothing there).
    public var meanWordLength: Double? {
        guard segmented > 0, segmented * 2 >= count else { return nil }
        return Double(segmentedCharacters) / Double(segmented)
    }

    /// The share of words with a letter (1 without words).
    public var alphaFraction: Double { count == 0 ? 1 : Double(withLetters) / Double(count) }
}
