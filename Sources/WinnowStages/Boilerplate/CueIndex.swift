import WinnowText

/// Cue phrases indexed by their first word, to count how many distinct ones a line holds in one
/// pass over its words.
struct CueIndex: Sendable {
    private let byFirstWord: [String: [(index: Int, words: [String])]]

    init(_ phrases: [String]) {
        var index: [String: [(index: Int, words: [String])]] = [:]
        for (number, phrase) in phrases.enumerated() {
            let words = LineProfile(Substring(phrase)).words
            if let first = words.first { index[first, default: []].append((number, words)) }
        }
        byFirstWord = index
    }

    /// How many distinct cues appear in `words` (cue lists hold at most 64 phrases: a bit each).
    func count(in words: [String]) -> Int {
        var seen: UInt64 = 0
        for (position, word) in words.enumerated() {
            guard let candidates = byFirstWord[word] else { continue }
            for cue in candidates where position + cue.words.count <= words.count {
                if cue.words.count == 1 || words[position..<position + cue.words.count].elementsEqual(cue.words) {
                    seen |= 1 << UInt64(cue.index & 63)
                }
            }
        }
        return seen.nonzeroBitCount
    }
}
