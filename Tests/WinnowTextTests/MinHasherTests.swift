import Testing
import WinnowText

/// Deterministic pseudo-random words, so that generated documents are reproducible.
private struct WordSource {
    var state: UInt64
    mutating func next() -> String {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var word = ""
        var value = state >> 20
        for _ in 0..<(3 + Int(state >> 60) % 6) {
            word.append(letters[Int(value % 26)])
            value /= 26
        }
        return word
    }
}

private func exactJaccard(_ left: [UInt64], _ right: [UInt64]) -> Double {
    let a = Set(left)
    let b = Set(right)
    return Double(a.intersection(b).count) / Double(a.union(b).count)
}

@Suite struct MinHasherTests {
    private let hasher = MinHasher()

    private func shingles(_ text: String) -> [UInt64] {
        hasher.shingles(MinHasher.wordHashes(ExactKey.normalizedBytes(text)))
    }

    @Test func shinglesIgnoreCaseSpacingAndPunctuation() {
        #expect(shingles("The Quick, brown fox jumps over") == shingles("the   quick brown fox — jumps over!"))
        #expect(shingles("one two three four") == [])
        #expect(shingles("one two three four five").count == 1)
    }

    @Test func scriptsWithoutSpacesUseCharacterBigrams() {
        let words = MinHasher.wordHashes(ExactKey.normalizedBytes("東京大阪"))
        #expect(words.count == 3)
        #expect(MinHasher.wordHashes(ExactKey.normalizedBytes("東京 大阪")).count == 2)
        #expect(shingles("東京都の人口は約一千四百万人です") != shingles("大阪府の人口は約八百八十万人です"))
    }

    /// The estimate stays close to the exact Jaccard similarity over generated pairs.
    @Test func estimateTracksExactJaccard() {
        var source = WordSource(state: 7)
        var worst = 0.0
        for edit in stride(from: 0.0, through: 0.6, by: 0.05) {
            let original = (0..<400).map { _ in source.next() }
            var copy = original
            for index in copy.indices where Double(index % 100) < edit * 100 { copy[index] = source.next() }
            let a = shingles(original.joined(separator: " "))
            let b = shingles(copy.joined(separator: " "))
            let estimate = MinHasher.similarity(hasher.signature(of: a), hasher.signature(of: b))
            worst = max(worst, abs(estimate - exactJaccard(a, b)))
        }
        // 112 functions: the standard error is at most sqrt(0.25 / 112) ≈ 0.047.
        #expect(worst < 0.15, "largest error \(worst)")
    }

    /// Pairs above the threshold share a band; unrelated documents almost never do.
    @Test func bandsFindSimilarPairsOnly() {
        var source = WordSource(state: 11)
        var found = 0
        var falseCandidates = 0
        for _ in 0..<100 {
            let original = (0..<300).map { _ in source.next() }
            var copy = original
            // Three words changed in 300: Jaccard about 0.9, where a band is shared 99.96% of the time.
            for index in stride(from: 0, to: copy.count, by: 100) { copy[index] = source.next() }
            let unrelated = (0..<300).map { _ in source.next() }
            let bands = { (words: [String]) in
                MinHasher.bandKeys(
                    self.hasher.signature(of: self.shingles(words.joined(separator: " "))), bands: 14, rows: 8)
            }
            let (a, b, c) = (Set(bands(original)), Set(bands(copy)), Set(bands(unrelated)))
            if !a.isDisjoint(with: b) { found += 1 }
            if !a.isDisjoint(with: c) { falseCandidates += 1 }
        }
        #expect(found >= 97, "found \(found) of 100 near copies")
        #expect(falseCandidates == 0)
    }
}
