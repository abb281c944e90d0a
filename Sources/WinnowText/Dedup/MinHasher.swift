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
        var random = SplitMix64(seed: seed)
        multipliers = (0..<count).map { _ in random.next() | 1 }
        increments = (0..<count).map { _ in random.next() }
    }

    /// The hashes of the words of a normal-form text (`ExactKey.normalizedBytes`).
    public static func wordHashes(_ normalized: [UInt8]) -> [UInt64] {
        normalized.withUnsafeBufferPointer { buffer in
            guard let bytes = buffer.baseAddress else { return [] }
            let count = buffer.count
            var hashes: [UInt64] = []
            hashes.reserveCapacity(count / 5)
            var start = 0
            var index = 0
            while index < count {
                // Eight bytes at a time to the next space or lead byte of a three- or four-byte
                // character (0xE0 and up), whichever comes first: a word costs one such step or two.
                if index &+ 8 <= count {
                    let chunk = UInt64(littleEndian: UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self))
                    let stops =
                        zeroBytes(chunk ^ 0x2020_2020_2020_2020)
                        | zeroBytes((chunk & 0xE0E0_E0E0_E0E0_E0E0) ^ 0xE0E0_E0E0_E0E0_E0E0)
                    if stops == 0 {
                        index &+= 8
                        continue
                    }
                    index &+= stops.trailingZeroBitCount >> 3
                }
                let byte = bytes[index]
                if byte < 0xE0 {
                    // The common case: a byte of a word, or the one space between two.
                    if byte == 0x20 {
                        if index > start { hashes.append(XXH3_64bits(bytes + start, index &- start)) }
                        start = index &+ 1
                    }
                    index &+= 1
                } else if isSpacelessScript(bytes, count, at: index) {
                    // Character bigrams for scripts written without spaces.
                    if index > start { hashes.append(XXH3_64bits(bytes + start, index &- start)) }
                    let length = byte >= 0xF0 ? 4 : 3
                    let next = index + length
                    if next < count && bytes[next] >= 0xE0 && isSpacelessScript(bytes, count, at: next) {
                        let nextLength = bytes[next] >= 0xF0 ? 4 : 3
                        hashes.append(XXH3_64bits(bytes + index, length + nextLength))
                    } else if start == index && (index == 0 || bytes[index - 1] == 0x20) {
                        hashes.append(XXH3_64bits(bytes + index, length))
                    }
                    index = next
                    start = index
                } else {
                    index &+= 1
                }
            }
            if count > start { hashes.append(XXH3_64bits(bytes + start, count &- start)) }
            return hashes
        }
    }

    /// The high bit of each byte of `value` that is zero, and of none before the lowest zero byte (the
    /// bits above it can be set by a borrow, so only the lowest set bit is exact).
    @inline(__always)
    private static func zeroBytes(_ value: UInt64) -> UInt64 {
        (value &- 0x0101_0101_0101_0101) & ~value & 0x8080_8080_8080_8080
    }

    /// Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar (three-byte UTF-8 blocks written without
    /// spaces between words), and Han extensions in four bytes.
    private static func isSpacelessScript(_ bytes: UnsafePointer<UInt8>, _ count: Int, at index: Int) -> Bool {
        let lead = bytes[index]
        guard index + 2 < count else { return false }
        if lead == 0xF0 { return bytes[index + 1] >= 0xA0 }  // U+20000… (CJK ext.)
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
        sortDistinct(&values)
        sortDistinct(&indexed)
        return (values, indexed)
    }

    /// Sorts `values` in place and removes repeats. A document's samples are mostly a few dozen
    /// values, which an insertion sort orders faster than the general sort.
    private static func sortDistinct(_ values: inout [UInt32]) {
        let distinct = values.withUnsafeMutableBufferPointer { buffer -> Int in
            let count = buffer.count
            guard count > 1 else { return count }
            if count <= 48 {
                for index in 1..<count {
                    let value = buffer[index]
                    var slot = index
                    while slot > 0 && buffer[slot - 1] > value {
                        buffer[slot] = buffer[slot - 1]
                        slot -= 1
                    }
                    buffer[slot] = value
                }
            } else {
                buffer.sort()
            }
            var kept = 1
            for index in 1..<count where buffer[index] != buffer[kept - 1] {
                buffer[kept] = buffer[index]
                kept += 1
            }
            return kept
        }
        values.removeLast(values.count - distinct)
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

    /// The estimated Jaccard similarity of two signatures: the share of equal positions.
    public static func similarity(_ left: [UInt32], _ right: [UInt32]) -> Double {
        guard left.count == right.count, !left.isEmpty else { return 0 }
        var equal = 0
        for index in left.indices where left[index] == right[index] { equal += 1 }
        return Double(equal) / Double(left.count)
    }

    /// LSH band keys: `bands` groups of `rows` signature values, each hashed with its band number
    /// (XXH3-64 of the band number and the group's values, as 32-bit integers in machine order).
    public static func bandKeys(_ signature: [UInt32], bands: Int, rows: Int) -> [UInt64] {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: rows + 1) { group in
            signature.withUnsafeBufferPointer { values in
                (0..<bands).map { band in
                    group[0] = UInt32(band)
                    var length = 1
                    for index in (band * rows)..<max(band * rows, min((band + 1) * rows, values.count)) {
                        group[length] = values[index]
                        length += 1
                    }
                    return XXH3_64bits(group.baseAddress, length * MemoryLayout<UInt32>.size)
                }
            }
        }
    }
}
