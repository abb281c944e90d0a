import CXXHash
import WinnowCore

/// Repetition measures on spans of a text, the building blocks of the Gopher repetition rules
/// (Rae et al. 2021, appendix A) in the semantics of datatrove's `GopherRepetitionFilter`. Lengths are
/// in UTF-8 bytes on both sides of every fraction. Spans and n-grams are compared by a 64-bit hash;
/// an n-gram's hash rolls along the words, so each pass is linear whatever n is.
public struct Repetition {
    private let table = HashCounter()
    private var wordHashes: [UInt64] = []
    private var wordEnds: [Int] = []

    public init() {}

    /// How many spans repeat an earlier span exactly, and the bytes of those repeats.
    public func duplicates(of spans: [TextSpan], in bytes: UnsafeBufferPointer<UInt8>) -> (count: Int, bytes: Int) {
        table.reset(expected: spans.count)
        var count = 0
        var repeated = 0
        for span in spans where table.add(Self.hash(bytes, span.start, span.end), length: 0).count > 1 {
            count += 1
            repeated += span.byteCount
        }
        return (count, repeated)
    }

    /// Prepares the n-gram measures for `words` (call once per document before `topNGramBytes` and
    /// `duplicateNGramBytes`).
    public mutating func prepare(words: [WordSpan], in bytes: UnsafeBufferPointer<UInt8>) {
        wordHashes.removeAll(keepingCapacity: true)
        wordEnds.removeAll(keepingCapacity: true)
        var total = 0
        for word in words {
            wordHashes.append(Self.hash(bytes, word.start, word.end))
            total += word.byteCount
            wordEnds.append(total)
        }
    }

    /// Whether some word occurs twice: without that, no n-gram repeats.
    public var hasRepeatedWord: Bool {
        table.reset(expected: wordHashes.count)
        return wordHashes.contains { table.add($0, length: 0).count > 1 }
    }

    /// The bytes covered by the most frequent n-gram (its words joined by single spaces, times its
    /// count), or 0 when no n-gram occurs twice.
    public func topNGramBytes(_ n: Int) -> Int {
        var best = (count: 1, length: 0)
        forEachNGram(n) { key, index in
            let updated = table.add(key, length: nGramLength(at: index, n) + n - 1)
            if updated.count > best.count || (updated.count == best.count && updated.length > best.length) {
                best = updated
            }
            return 1
        }
        return best.count > 1 ? best.count * best.length : 0
    }

    /// The bytes of words inside n-grams that repeat an earlier n-gram; an n-gram counted as a repeat
    /// is skipped as a whole, so overlapping repeats are not counted twice.
    public func duplicateNGramBytes(_ n: Int) -> Int {
        var repeated = 0
        forEachNGram(n) { key, index in
            guard table.add(key, length: 0).count > 1 else { return 1 }
            repeated += nGramLength(at: index, n)
            return n
        }
        return repeated
    }

    /// Calls `body` with the key of each n-gram visited and its first word's index; `body` answers
    /// how many words to advance.
    @inline(__always)
    private func forEachNGram(_ n: Int, _ body: (UInt64, Int) -> Int) {
        let count = wordHashes.count
        guard n > 0, count >= n else { return }
        table.reset(expected: count - n + 1)
        wordHashes.withUnsafeBufferPointer { hashes in
            var power: UInt64 = 1
            for _ in 1..<max(n, 1) { power = power &* Self.base }
            var rolling: UInt64 = 0
            var first = 0
            var filled = 0
            var index = 0
            while index + n <= count {
                // (Re)start the window at `index` after a jump, otherwise slide it by one word.
                if filled == 0 || first != index {
                    rolling = 0
                    for offset in 0..<n { rolling = rolling &* Self.base &+ hashes[index + offset] }
                    filled = n
                }
                let key = Self.finish(rolling ^ UInt64(truncatingIfNeeded: n))
                let step = body(key, index)
                if step == 1, index + n < count {
                    rolling = (rolling &- hashes[index] &* power) &* Self.base &+ hashes[index + n]
                    first = index + 1
                } else {
                    filled = 0
                }
                index += step
            }
        }
    }

    @inline(__always)
    private func nGramLength(at index: Int, _ n: Int) -> Int {
        wordEnds[index + n - 1] - (index > 0 ? wordEnds[index - 1] : 0)
    }

    private static let base: UInt64 = 0x9E37_79B9_7F4A_7C15 | 1

    @inline(__always)
    private static func finish(_ value: UInt64) -> UInt64 {
        var key = value ^ (value >> 33)
        key = key &* 0xFF51_AFD7_ED55_8CCD
        return key ^ (key >> 33)
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        XXH3_64bits(bytes.baseAddress.map { $0 + start }, end - start)
    }
}
