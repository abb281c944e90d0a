/// One word found by `WordTokenizer`: a byte range of the text and what the rules need to know about it.
public struct WordSpan: Sendable, Equatable {
    /// Byte offset of the first byte.
    public var start: Int
    /// Byte offset just past the last byte.
    public var end: Int
    /// The number of Unicode scalars (the word's length in characters).
    public var characters: Int
    /// Whether the word has at least one letter (not only digits).
    public var hasLetter: Bool
    /// Whether the word is one character of a script written without spaces (Han, Kana, Thai, Lao).
    public var isCharacter: Bool

    public init(start: Int, end: Int, characters: Int, hasLetter: Bool, isCharacter: Bool = false) {
        self.start = start
        self.end = end
        self.characters = characters
        self.hasLetter = hasLetter
        self.isCharacter = isCharacter
    }

    /// The word's length in bytes.
    public var byteCount: Int { end - start }
}
