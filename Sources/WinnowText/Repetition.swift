import CXXHash

/// Repetition measures on spans of a text, the building blocks of the Gopher repetition rules
/// (Rae et al. 2021, appendix A) in the semantics of datatrove's `GopherRepetitionFilter`. Lengths are
/// in UTF-8 bytes on both sides of every fraction. Spans and n-grams are compared by a 64-bit hash.
public struct Repetition {
    private var seen: Set<UInt64> = []
    private var counts: [UInt64: (count: Int, length: Int)] = [:]
    private var wordHashes: [UInt64] = []
    private var wordEnds: [Int] = []

    public init() {}

    /// How many spans repeat an earlier span exactly, and the bytes of those repeats.
    public mutating func duplicates(of spans: [TextSpan], in bytes: UnsafeBufferPointer<UInt8>) -> (
        count: Int, bytes: Int
    ) {
        seen.removeAll(keepingCapacity: true)
        var count = 0
        var repeated = 0
        for span in spans where !seen.insert(Self.hash(bytes, span.start, span.end)).inserted {
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

    /// The bytes covered by the most frequent n-gram (its words joined by single spaces, times its
    /// count), or 0 when no n-gram occurs twice.
    public mutating func topNGramBytes(_ n: Int) -> Int {
        counts.removeAll(keepingCapacity: true)
        guard wordHashes.count >= n else { return 0 }
        var best = (count: 1, length: 0)
        for index in 0...(wordHashes.count - n) {
            let key = nGramKey(at: index, n)
            let length = nGramLength(at: index, n) + n - 1
            let entry = counts[key, default: (0, length)]
            let updated = (count: entry.count + 1, length: entry.length)
            counts[key] = updated
            if updated.count > best.count || (updated.count == best.count && updated.length > best.length) {
                best = updated
            }
        }
        return best.count > 1 ? best.count * best.length : 0
    }

    /// The bytes of words inside n-grams that repeat an earlier n-gram; an n-gram counted as a repeat
    /// is skipped as a whole, so overlapping repeats are not counted twice.
    public mutating func duplicateNGramBytes(_ n: Int) -> Int {
        seen.removeAll(keepingCapacity: true)
        var repeated = 0
        var index = 0
        while index + n <= wordHashes.count {
            if seen.insert(nGramKey(at: index, n)).inserted {
                index += 1
            } else {
                repeated += nGramLength(at: index, n)
                index += n
            }
        }
        return repeated
    }

    @inline(__always)
    private func nGramKey(at index: Int, _ n: Int) -> UInt64 {
        var key: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(n)
        for offset in 0..<n {
            key = (key ^ wordHashes[index + offset]) &* 0xFF51_AFD7_ED55_8CCD
            key ^= key >> 32
        }
        return key
    }

    @inline(__always)
    private func nGramLength(at index: Int, _ n: Int) -> Int {
        wordEnds[index + n - 1] - (index > 0 ? wordEnds[index - 1] : 0)
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        XXH3_64bits(bytes.baseAddress.map { $0 + start }, end - start)
    }
}
