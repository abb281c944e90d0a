import CXXHash
import Testing
import WinnowCore

@testable import WinnowText

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
        hasher.shingles(hasher.wordHashes(ExactKey.normalizedBytes(text)))
    }

    /// The vectorized kernels give the minimums of the plain definitions, whatever the CPU level the
    /// loader picked, however many shingles there are and however the hash functions divide into the
    /// kernels' blocks (signatures are stored: they never change).
    @Test(arguments: [0, 1, 7, 64, 301], [112, 64, 20, 129])
    func signatureIsTheMinimumOfEachHashFunction(shingleCount: Int, functions: Int) {
        var state: UInt64 = 0x1234_5678 &+ UInt64(shingleCount)
        let shingles = (0..<shingleCount).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
        let wide = MinHasher(count: functions, version: .wide)
        let wideExpected = zip(wide.multipliers, wide.increments).map { a, b in
            UInt32(truncatingIfNeeded: shingles.map { a &* $0 &+ b }.min().map { $0 >> 32 } ?? UInt64.max >> 32)
        }
        #expect(wide.signature(of: shingles) == wideExpected)
        // Version 2: 32-bit functions of the shingle hash's upper half, drawn from the same sequence.
        let narrow = MinHasher(count: functions, version: .narrow)
        #expect(narrow.narrowMultipliers.map(UInt64.init) == wide.multipliers.map { $0 & 0xFFFF_FFFF })
        #expect(narrow.narrowIncrements.map(UInt64.init) == wide.increments.map { $0 & 0xFFFF_FFFF })
        let narrowExpected = zip(narrow.narrowMultipliers, narrow.narrowIncrements).map { a, b in
            shingles.map { a &* UInt32(truncatingIfNeeded: $0 >> 32) &+ b }.min() ?? .max
        }
        #expect(narrow.signature(of: shingles) == narrowExpected)
    }

    /// Version 2's shingles roll from one to the next; each must equal its own words combined afresh,
    /// for every shingle length.
    @Test(arguments: [1, 2, 5, 7])
    func rollingShinglesMatchTheirDefinition(size: Int) {
        var random = SplitMix64(seed: UInt64(size))
        let words = (0..<40).map { _ in random.next() }
        func rotated(_ value: UInt64, _ bits: Int) -> UInt64 {
            bits % 64 == 0 ? value : (value << UInt64(bits % 64)) | (value >> UInt64(64 - bits % 64))
        }
        let expected = (0...(words.count - size)).map { start in
            var hash = (0..<size).reduce(UInt64(0)) { $0 ^ rotated(words[start + $1], 13 * $1) }
            hash = (hash ^ (hash >> 33)) &* 0xFF51_AFD7_ED55_8CCD
            hash = (hash ^ (hash >> 33)) &* 0xC4CE_B9FE_1A85_EC53
            return hash ^ (hash >> 33)
        }
        let hasher = MinHasher(shingleSize: size, version: .narrow)
        #expect(hasher.shingles(words) == expected)
        #expect(hasher.shingles(Array(words.prefix(size - 1))) == [])
    }

    @Test func shinglesIgnoreCaseSpacingAndPunctuation() {
        #expect(shingles("The Quick, brown fox jumps over") == shingles("the   quick brown fox — jumps over!"))
        #expect(shingles("one two three four") == [])
        #expect(shingles("one two three four five").count == 1)
    }

    /// Words are the runs between single spaces, whatever their lengths against the eight- and
    /// sixty-four-byte steps the splitter takes, and a three-byte character of a script written with
    /// spaces stays in its word (its blocks are taken a byte at a time). Version 1 hashes each with
    /// XXH3, version 2 with `WordHash`, which must not depend on what follows the word in the text.
    @Test(arguments: MinHasher.Version.allCases, [false, true])
    func wordsAreSplitAtSpacesWhateverTheirLength(version: MinHasher.Version, threeByteCharacters: Bool) {
        var state: UInt64 = 99
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        let hasher = MinHasher(version: version)
        let pieces = (["a", "q", "0", "é", "ж"] + (threeByteCharacters ? ["€"] : [])).map { Array($0.utf8) }
        for _ in 0..<300 {
            let words = (0...next(40)).map { _ in (0...next(20)).flatMap { _ in pieces[next(pieces.count)] } }
            let text = Array(words.joined(separator: [0x20]))
            let expected = words.map { word in
                word.withUnsafeBufferPointer { buffer in
                    switch version {
                    case .wide: XXH3_64bits(buffer.baseAddress, buffer.count)
                    case .narrow: WordHash.hash(buffer.baseAddress!, buffer.count, 0, buffer.count)
                    }
                }
            }
            #expect(hasher.wordHashes(text) == expected)
        }
    }

    @Test func scriptsWithoutSpacesUseCharacterBigrams() {
        let words = hasher.wordHashes(ExactKey.normalizedBytes("東京大阪"))
        #expect(words.count == 3)
        #expect(hasher.wordHashes(ExactKey.normalizedBytes("東京 大阪")).count == 2)
        #expect(shingles("東京都の人口は約一千四百万人です") != shingles("大阪府の人口は約八百八十万人です"))
    }

    /// The estimate stays close to the exact Jaccard similarity over generated pairs.
    @Test(arguments: MinHasher.Version.allCases)
    func estimateTracksExactJaccard(version: MinHasher.Version) {
        let hasher = MinHasher(version: version)
        var source = WordSource(state: 7)
        var worst = 0.0
        for edit in stride(from: 0.0, through: 0.6, by: 0.05) {
            let original = (0..<400).map { _ in source.next() }
            var copy = original
            for index in copy.indices where Double(index % 100) < edit * 100 { copy[index] = source.next() }
            let a = hasher.shingles(hasher.wordHashes(ExactKey.normalizedBytes(original.joined(separator: " "))))
            let b = hasher.shingles(hasher.wordHashes(ExactKey.normalizedBytes(copy.joined(separator: " "))))
            let estimate = MinHasher.similarity(hasher.signature(of: a), hasher.signature(of: b))
            worst = max(worst, abs(estimate - exactJaccard(a, b)))
        }
        // 112 functions: the standard error is at most sqrt(0.25 / 112) ≈ 0.047.
        #expect(worst < 0.15, "largest error \(worst)")
    }

    /// Over many pairs the estimates' errors spread as those of 112 independent functions would
    /// (variance J (1 − J) / 112) and have no bias: functions that moved together, as weak ones of one
    /// family can, would spread them wider.
    @Test(arguments: MinHasher.Version.allCases)
    func estimateErrorsAreThoseOfIndependentFunctions(version: MinHasher.Version) {
        let hasher = MinHasher(version: version)
        var random = SplitMix64(seed: 41)
        var squaredError = 0.0
        var expectedSquaredError = 0.0
        var bias = 0.0
        let pairs = 400
        for pair in 0..<pairs {
            // Sets of shingle hashes sharing a varying part: Jaccard from about 0.1 to 0.95.
            let size = 100 + Int(random.next() % 400)
            let shared = (0..<size).map { _ in random.next() }
            let extra = Int(Double(size) * (0.05 + 0.9 * Double(pair % 20) / 19))
            let a = shared + (0..<extra).map { _ in random.next() }
            let b = shared + (0..<extra).map { _ in random.next() }
            let jaccard = Double(size) / Double(size + 2 * extra)
            let error = MinHasher.similarity(hasher.signature(of: a), hasher.signature(of: b)) - jaccard
            squaredError += error * error
            expectedSquaredError += jaccard * (1 - jaccard) / Double(hasher.count)
            bias += error
        }
        let ratio = squaredError / expectedSquaredError
        // For independent functions the ratio is 1 give or take about 0.1 (400 pairs).
        #expect((0.7...1.3).contains(ratio), "squared error \(ratio) times the independent one")
        #expect(abs(bias / Double(pairs)) < 0.01, "mean error \(bias / Double(pairs))")
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

    /// The sampled containment tracks the exact share of a document's shingles found in a longer one,
    /// where the Jaccard similarity says little (a page of two articles and one of them: about 0.5).
    @Test func sampledContainmentTracksTheExactShare() {
        var source = WordSource(state: 23)
        var worst = 0.0
        for kept in stride(from: 0.0, through: 1.0, by: 0.1) {
            let article = (0..<600).map { _ in source.next() }
            let other = (0..<600).map { _ in source.next() }
            // The page holds the first `kept` share of the article, then another article.
            let page = Array(article.prefix(Int(Double(article.count) * kept))) + other
            let a = shingles(article.joined(separator: " "))
            let b = shingles(page.joined(separator: " "))
            let exact = Double(Set(a).intersection(Set(b)).count) / Double(Set(a).count)
            let estimate = MinHasher.containment(
                of: MinHasher.containmentSample(a, rate: 4).values, in: MinHasher.containmentSample(b, rate: 4).values)
            worst = max(worst, abs(estimate - exact))
        }
        // About 150 sampled shingles: a standard error of at most sqrt(0.25 / 150) ≈ 0.04.
        #expect(worst < 0.15, "largest error \(worst)")
    }

    @Test func containmentSamplesAreConsistentSortedAndPartlyIndexed() {
        var source = WordSource(state: 29)
        let words = (0..<2_000).map { _ in source.next() }
        let all = shingles(words.joined(separator: " "))
        let sample = MinHasher.containmentSample(all, rate: 4)
        #expect(sample.values == sample.values.sorted() && Set(sample.values).count == sample.values.count)
        #expect(Set(sample.indexed).isSubset(of: Set(sample.values)))
        // About a quarter sampled, a sixteenth indexed.
        #expect((400...600).contains(sample.values.count), "\(sample.values.count) sampled")
        #expect((80...170).contains(sample.indexed.count), "\(sample.indexed.count) indexed")
        // A shingle shared by two documents is sampled in both: half of a document samples a subset.
        let half = MinHasher.containmentSample(Array(all.prefix(1_000)), rate: 4)
        #expect(Set(half.values).isSubset(of: Set(sample.values)))
        #expect(MinHasher.containment(of: half.values, in: sample.values) == 1)
    }
}
