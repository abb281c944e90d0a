import CMinHashKernel
import CXXHash
import WinnowCore

/// MinHash signatures of texts, over word n-gram shingles of the exact-dedup normal form
/// (`ExactKey.normalizedBytes`: lowercase, digits as 0, punctuation and spaces collapsed). Words are
/// hashed once (XXH3-64), n-grams are combined from word hashes, and each of the `count` hash
/// functions is `a·x + b` over 64-bit integers (a permutation of the 64-bit space for odd `a`): the
/// inner loop is a fixed-length multiply-add-minimum over arrays (`CMinHashKernel`, vectorized for the CPU).
/// Text in scripts written without spaces (Han, Kana, Thai, Lao…) is split into character bigrams.
public struct MinHasher: Sendable {
    public let count: Int
    public let shingleSize: Int
    /// The hash functions' `a` (odd) and `b`, in lane order.
    let multipliers: [UInt64]
    let increments: [UInt64]

    /// `count` hash functions from a fixed seed, so signatures are comparable across runs.
    public init(count: Int = 112, shingleSize: Int = 5, seed: UInt64 = 0x5EED_1DE5_0F_AB1E) {
        self.count = count
        self.shingleSize = shingleSize
        var state = seed
        func next() -> UInt64 {
            // SplitMix64.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        multipliers = (0..<count).map { _ in next() | 1 }
        increments = (0..<count).map { _ in next() }
    }

    /// The hashes of the words of a normal-form text (`ExactKey.normalizedBytes`).
    public static func wordHashes(_ normalized: [UInt8]) -> [UInt64] {
        normalized.withUnsafeBufferPointer { bytes in
            var hashes: [UInt64] = []
            hashes.reserveCapacity(bytes.count / 5)
            var start = 0
            var index = 0
            let count = bytes.count
            func flush(_ end: Int) {
                guard end > start else { return }
                hashes.append(XXH3_64bits(bytes.baseAddress! + start, end - start))
            }
            while index < count {
                let byte = bytes[index]
                if byte == 0x20 {
                    flush(index)
                    start = index + 1
                    index += 1
                } else if byte >= 0xE0 && isSpacelessScript(bytes, at: index) {
                    // Character bigrams for scripts written without spaces.
                    flush(index)
                    let length = byte >= 0xF0 ? 4 : 3
                    let next = index + length
                    if next < count && bytes[next] >= 0xE0 && isSpacelessScript(bytes, at: next) {
                        let nextLength = bytes[next] >= 0xF0 ? 4 : 3
                        hashes.append(XXH3_64bits(bytes.baseAddress! + index, length + nextLength))
                    } else if start == index && (index == 0 || bytes[index - 1] == 0x20) {
                        hashes.append(XXH3_64bits(bytes.baseAddress! + index, length))
                    }
                    index = next
                    start = index
                } else {
                    index += 1
                }
            }
            flush(count)
            return hashes
        }
    }

    /// Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar (three-byte UTF-8 blocks written without
    /// spaces between words), and Han extensions in four bytes.
    private static func isSpacelessScript(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let lead = bytes[index]
        guard index + 2 < bytes.count else { return false }
        if lead == 0xF0 { return index + 1 < bytes.count && bytes[index + 1] >= 0xA0 }  // U+20000… (CJK ext.)
        let value =
            (UInt32(lead & 0x0F) << 12) | (UInt32(bytes[index + 1] & 0x3F) << 6) | UInt32(bytes[index + 2] & 0x3F)
        return (0x0E00...0x0EFF).contains(value) || (0x1000...0x109F).contains(value)
            || (0x1780...0x17FF).contains(value)
            || (0x3040...0x30FF).contains(value) || (0x3400...0x4DBF).contains(value)
            || (0x4E00...0x9FFF).contains(value)
            || (0xF900...0xFAFF).contains(value)
    }

    /// The shingle hashes (`shingleSize` consecutive words, order-sensitive) of a word-hash list.
    public func shingles(_ words: [UInt64]) -> [UInt64] {
        guard words.count >= shingleSize else { return [] }
        var result = [UInt64](repeating: 0, count: words.count - shingleSize + 1)
        for start in result.indices {
            var hash: UInt64 = 0x51_7CC1_B727_220A
            for offset in 0..<shingleSize {
                hash = (hash ^ words[start + offset]) &* 0x9E37_79B9_7F4A_7C15
                hash ^= hash >> 29
            }
            result[start] = hash
        }
        return result
    }

    /// The signature of a set of shingle hashes: for each hash function, the minimum (upper 32 bits,
    /// enough to tell values apart while halving the stored size).
    public func signature(of shingles: [UInt64]) -> [UInt32] {
        var minimums = [UInt64](repeating: .max, count: count)
        multipliers.withUnsafeBufferPointer { a in
            increments.withUnsafeBufferPointer { b in
                minimums.withUnsafeMutableBufferPointer { m in
                    shingles.withUnsafeBufferPointer { x in
                        winnow_minhash_update(
                            x.baseAddress, x.count, a.baseAddress, b.baseAddress, m.baseAddress, m.count)
                    }
                }
            }
        }
        return minimums.map { UInt32(truncatingIfNeeded: $0 >> 32) }
    }

    /// A consistent sample of a shingle set, for containment: a shingle is in it when its remixed hash
    /// falls in the lowest `1/rate` of the 64-bit space, so a shingle two documents share is sampled in
    /// both or in neither, and |sample(A) ∩ sample(B)| / |sample(A)| estimates how much of A is in B
    /// whatever B's size (MinHash cannot: a page twice as long as a copy of half of it has Jaccard
    /// 0.5). `values` are the sampled shingles' low 32 bits, sorted and distinct; `indexed` are those in
    /// the lowest `1/(4·rate)` (a quarter of the sample), the ones an index looks up to find candidates:
    /// enough to find a container (a document of 50 words has none 5% of the time at rate 4), few
    /// enough that the index grows by a dozen rows for a page of 200 words.
    public static func containmentSample(_ shingles: [UInt64], rate: Int) -> (values: [UInt32], indexed: [UInt32]) {
        let rate = UInt64(Swift.max(1, rate))
        let sampleLimit = UInt64.max / rate
        let indexLimit = sampleLimit / 4
        var values: [UInt32] = []
        var indexed: [UInt32] = []
        values.reserveCapacity(shingles.count / Int(rate) + 4)
        for shingle in shingles {
            // SplitMix64's finalizer: the shingle hash's low bits come from a multiply and are weak.
            var z = shingle ^ (shingle >> 30)
            z = z &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            guard z <= sampleLimit else { continue }
            values.append(UInt32(truncatingIfNeeded: z))
            if z <= indexLimit { indexed.append(UInt32(truncatingIfNeeded: z)) }
        }
        values.sort()
        indexed.sort()
        return (deduplicated(values), deduplicated(indexed))
    }

    /// The share of `part`'s values that are also in `whole` (both sorted and distinct).
    public static func containment(of part: [UInt32], in whole: [UInt32]) -> Double {
        guard !part.isEmpty else { return 0 }
        var shared = 0
        var i = 0
        var j = 0
        while i < part.count && j < whole.count {
            if part[i] == whole[j] {
                shared += 1
                i += 1
                j += 1
            } else if part[i] < whole[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return Double(shared) / Double(part.count)
    }

    private static func deduplicated(_ sorted: [UInt32]) -> [UInt32] {
        var result: [UInt32] = []
        result.reserveCapacity(sorted.count)
        for value in sorted where value != result.last { result.append(value) }
        return result
    }

    /// The estimated Jaccard similarity of two signatures: the share of equal positions.
    public static func similarity(_ left: [UInt32], _ right: [UInt32]) -> Double {
        guard left.count == right.count, !left.isEmpty else { return 0 }
        var equal = 0
        for index in left.indices where left[index] == right[index] { equal += 1 }
        return Double(equal) / Double(left.count)
    }

    /// LSH band keys: `bands` groups of `rows` signature values, each hashed with its band number.
    public static func bandKeys(_ signature: [UInt32], bands: Int, rows: Int) -> [UInt64] {
        (0..<bands).map { band in
            var values = [UInt32(band)] + signature[(band * rows)..<min((band + 1) * rows, signature.count)]
            return values.withUnsafeMutableBytes { XXH3_64bits($0.baseAddress, $0.count) }
        }
    }
}
