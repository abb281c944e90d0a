import WinnowText

/// Phrases of words indexed by the hash of their first word, to find the phrases that start at a
/// position of a line with one table look-up: the phrase rules and the cue lists are held so.
struct PhraseIndex: Sendable {
    /// First word's hash to the phrases starting with it: a range of `phrases` (sorted by first word).
    private let byFirstWord: WordTable
    private let groups: [Range<Int>]
    /// Each phrase's number (given with it) and its words, a range of `words`.
    private let phrases: [(number: Int, words: Range<Int>)]
    private let words: [UInt64]

    /// Indexes `phrases`, each split into words as lines are (`LineProfile`); phrases without words
    /// are left out. Several phrases may share a number.
    init(numbered phrases: [(number: Int, text: String)]) {
        var hashes: [UInt64] = []
        var entries: [(number: Int, words: Range<Int>)] = []
        var firsts: [UInt64: [Int]] = [:]
        var order: [UInt64] = []
        for (number, phrase) in phrases {
            let words = LineProfile(Substring(phrase)).words.map(\.hash)
            guard let first = words.first else { continue }
            if firsts[first] == nil { order.append(first) }
            firsts[first, default: []].append(entries.count)
            entries.append((number, hashes.count..<hashes.count + words.count))
            hashes += words
        }
        var table = WordTable(expected: order.count)
        var groups: [Range<Int>] = []
        var sorted: [(number: Int, words: Range<Int>)] = []
        for first in order {
            table.set(first, to: Int32(groups.count))
            let members = firsts[first]!.map { entries[$0] }
            groups.append(sorted.count..<sorted.count + members.count)
            sorted += members
        }
        byFirstWord = table
        self.groups = groups
        self.phrases = sorted
        words = hashes
    }

    /// Calls `body` with the number and the length in words of every phrase that appears in
    /// `line` at `start`, until `body` returns `true`; returns whether it did.
    @inline(__always)
    func firstMatch(in line: [LineWord], at start: Int, where body: (_ number: Int, _ length: Int) -> Bool) -> Bool {
        guard let group = byFirstWord[line[start].hash] else { return false }
        for phrase in phrases[groups[Int(group)]] where start + phrase.words.count <= line.count {
            var matched = true
            var position = start + 1
            for word in words[phrase.words].dropFirst() {
                if line[position].hash != word {
                    matched = false
                    break
                }
                position += 1
            }
            if matched && body(phrase.number, phrase.words.count) { return true }
        }
        return false
    }

    /// Which phrases appear in `line`: bit `n` of `low` for phrase number `n` below 64, bit `n - 64`
    /// of `high` for the numbers from 64 to 127 (two cue lists of at most 64 phrases each).
    func seen(in line: [LineWord]) -> (low: UInt64, high: UInt64) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for start in line.indices {
            _ = firstMatch(in: line, at: start) { number, _ in
                if number < 64 { low |= 1 << UInt64(number) } else { high |= 1 << UInt64(number & 63) }
                return false
            }
        }
        return (low, high)
    }
}
