import WinnowCore
import WinnowText

extension Document {
    /// The text's words, split once for all the quality stages that count them (`words` keeps them
    /// until the text changes).
    mutating func splitWords() -> [WordSpan] {
        if let words { return words }
        let split = WordTokenizer.words(in: text)
        words = split
        return split
    }
}
