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

    /// How many distinct cues appear in `words`.
    func count(in words: [String]) -> Int {
        var seen = Set<Int>()
        for (position, word) in words.enumerated() {
            guard let candidates = byFirstWord[word] else { continue }
            for cue in candidates where !seen.contains(cue.index) && position + cue.words.count <= words.count {
                if cue.words.count == 1 || words[position..<position + cue.words.count].elementsEqual(cue.words) {
                    seen.insert(cue.index)
                }
            }
        }
        return seen.count
    }
}
