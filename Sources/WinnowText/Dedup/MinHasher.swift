import CMinHashKernel
import CXXHash
import WinnowCore

/// MinHash signatures of texts, over word n-gram shingles of the exact-dedup normal form
/// (`ExactKey.normalizedBytes`: lowercase, digits as 0, punctuation and spaces collapsed). Words are
/// hashed once, n-grams are combined from word hashes, and each of the `count` hash functions is
/// `a·x + b` over integers of a fixed width (a permutation for odd `a`): the inner loop is a
/// fixed-length multiply-add-minimum over arrays (`CMinHashKernel`, vectorized for the CPU). Text in
/// scripts written without spaces (Han, Kana, Thai, Lao…) is split into character bigrams.
///
/// How words, shingles and functions are hashed is the signature's `Version`. Signatures of two
/// versions never match, so an index keeps the version it was built with
/// (`WinnowDatabase.nearSignatureVersion`).
public struct MinHasher: Sendable {
    /// How the hash functions are computed.
    public enum Version: Int, Sendable, CaseIterable {
        /// Words hashed with XXH3-64, shingles combined with a multiply per word, and 64-bit
        /// `a·x + b` over the whole shingle hash; the signature keeps each minimum's upper 32 bits.
        /// Only AVX-512 multiplies 64-bit lanes: about 34 cycles a shingle for 112 functions.
        case wide = 1
        /// Words hashed inline (`WordHash`), shingles rolled from word to word, and 32-bit `a·x + b`
        /// over the shingle hash's upper half: sixteen functions to an AVX-512 register (eight to an
        /// AVX2 one) with one multiply, a third of the instructions.
        case narrow = 2

        /// What a new index is built with.
        public static let current = Version.narrow
    }

    public let count: Int
    public let shingleSize: Int
    public let version: Version
    /// The hash functions' `a` (odd) and `b`, in lane order: 64-bit for `.wide`, else empty.
    let multipliers: [UInt64]
    let increments: [UInt64]
    /// The same for `.narrow`, else empty.
    let narrowMultipliers: [UInt32]
    let narrowIncrements: [UInt32]

    /// `count` hash functions from a fixed seed, so signatures are comparable across runs.
    public init(count: Int = 112, shingleSize: Int = 5, seed: UInt64 = 0x5EED_1DE5_0F_AB1E, version: Version = .current)
    {
        self.count = count
        self.shingleSize = shingleSize
        self.version = version
        var random = SplitMix64(seed: seed)
        // All the multipliers are drawn first, then all the increments (version 1's order).
        let a = (0..<count).map { _ in random.next() | 1 }
        let b = (0..<count).map { _ in random.next() }
        switch version {
        case .wide:
            (multipliers, increments) = (a, b)
            (narrowMultipliers, narrowIncrements) = ([], [])
        case .narrow:
            (multipliers, increments) = ([], [])
            narrowMultipliers = a.map { UInt32(truncatingIfNeeded: $0) }
            narrowIncrements = b.map { UInt32(truncatingIfNeeded: $0) }
        }
    }

    /// The hashes of the words of a normal-form text (`ExactKey.normalizedBytes`): XXH3-64 in
    /// version 1, `WordHash` in version 2.
    public func wordHashes(_ normalized: [UInt8]) -> [UInt64] {
        switch version {
        case .wide: Self.wordHashes(normalized, hash: XXH3Word.self)
        case .narrow: Self.wordHashes(normalized, hash: WordHash.self)
        }
    }

    /// The words of a normal-form text, each hashed with `hash`.
    @inline(__always)
    private static func wordHashes<Hash: WordHashing>(_ normalized: [UInt8], hash: Hash.Type) -> [UInt64] {
        normalized.withUnsafeBufferPointer { buffer in
            guard let bytes = buffer.baseAddress else { return [] }
            let count = buffer.count
            var hashes: [UInt64] = []
            hashes.reserveCapacity(count / 5)
            var start = 0
            var index = 0
            // Where the byte-at-a-time steps may give way to whole blocks again: the end of the last
            // block found to hold a lead byte of a three- or four-byte character.
            var stepsUntil = 0
            while index < count {
                // Sixty-four bytes at a time with their spaces as a bit mask, when none of them leads a
                // character of three or four bytes: a word then costs a few bit operations, and no
                // step waits on where the last word ended.
                if index >= stepsUntil && index &+ 64 <= count {
                    if var spaces = spaceMask(bytes + index) {
                        while spaces != 0 {
                            let end = index &+ spaces.trailingZeroBitCount
                            if end > start { hashes.append(Hash.hash(bytes, count, start, end &- start)) }
                            start = end &+ 1
                            spaces &= spaces &- 1
                        }
                        index &+= 64
                        continue
                    }
                    stepsUntil = index &+ 64
                }
                // Eight bytes at a time to the next space or lead byte of a three- or four-byte
                // character (0xE0 and up), whichever comes first: a word costs one such step or two.
                if index &+ 8 <= count {
                    let chunk = UInt64(littleEndian: UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self))
                    let stops = zeroBytes(chunk ^ 0x2020_2020_2020_2020) | leadBytes(chunk)
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
                        if index > start { hashes.append(Hash.hash(bytes, count, start, index &- start)) }
                        start = index &+ 1
                    }
                    index &+= 1
                } else if isSpacelessScript(bytes, count, at: index) {
                    // Character bigrams for scripts written without spaces.
                    if index > start { hashes.append(Hash.hash(bytes, count, start, index &- start)) }
                    let length = byte >= 0xF0 ? 4 : 3
                    let next = index + length
                    if next < count && bytes[next] >= 0xE0 && isSpacelessScript(bytes, count, at: next) {
                        let nextLength = bytes[next] >= 0xF0 ? 4 : 3
                        hashes.append(Hash.hash(bytes, count, index, length + nextLength))
                    } else if start == index && (index == 0 || bytes[index - 1] == 0x20) {
                        hashes.append(Hash.hash(bytes, count, index, length))
                    }
                    index = next
                    start = index
                } else {
                    index &+= 1
                }
            }
            if count > start { hashes.append(Hash.hash(bytes, count, start, count &- start)) }
            return hashes
        }
    }

    /// The high bit of each byte of `value` that is zero, and of none before the lowest zero byte (the
    /// bits above it can be set by a borrow, so only the lowest set bit is exact).
    @inline(__always)
    private static func zeroBytes(_ value: UInt64) -> UInt64 {
        (value &- 0x0101_0101_0101_0101) & ~value & 0x8080_8080_8080_8080
    }

    /// The high bit of each byte of `value` that is 0xE0 or more (its top three bits set), exactly.
    @inline(__always)
    private static func leadBytes(_ value: UInt64) -> UInt64 {
        value & (value &<< 1) & (value &<< 2) & 0x8080_8080_8080_8080
    }

    /// Bit i set where `bytes[i]` is a space, for the 64 bytes at `bytes`; `nil` when one of them is
    /// 0xE0 or more.
    @inline(__always)
    private static func spaceMask(_ bytes: UnsafePointer<UInt8>) -> UInt64? {
        var spaces: UInt64 = 0
        var leads: UInt64 = 0
        for part in 0..<8 {
            let chunk = UInt64(littleEndian: UnsafeRawPointer(bytes + part &* 8).loadUnaligned(as: UInt64.self))
            leads |= leadBytes(chunk)
            // The spaces, exactly (no borrow between bytes): a byte's low seven bits plus 0x7F carry
            // into its high bit unless they are all zero.
            let other = chunk ^ 0x2020_2020_2020_2020
            let zero = ~(((other & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | other) & 0x8080_8080_8080_8080
            // Byte j's high bit to bit j (the multiply's partial products never overlap).
            spaces |= (((zero >> 7) &* 0x0102_0408_1020_4080) >> 56) << UInt64(part &* 8)
        }
        return leads == 0 ? spaces : nil
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
        guard words.count >= shingleSize, shingleSize > 0 else { return [] }
        switch version {
        case .wide: return Self.wideShingles(words, size: shingleSize)
        case .narrow: return Self.narrowShingles(words, size: shingleSize)
        }
    }

    /// Version 1: each shingle's words combined in turn, a multiply for each.
    private static func wideShingles(_ words: [UInt64], size: Int) -> [UInt64] {
        var result = [UInt64](repeating: 0, count: words.count - size + 1)
        for start in result.indices {
            var hash: UInt64 = 0x51_7CC1_B727_220A
            for offset in 0..<size {
                hash = (hash ^ words[start + offset]) &* 0x9E37_79B9_7F4A_7C15
                hash ^= hash >> 29
            }
            result[start] = hash
        }
        return result
    }

    /// Version 2: the k-th word of a shingle rotated by 13·k bits (distinct for up to 64 words), all
    /// XORed, which rolls from one shingle to the next (drop the first word, rotate back, add the new
    /// last one), then a finalizer (MurmurHash3's) for the functions, which read the upper half.
    private static func narrowShingles(_ words: [UInt64], size: Int) -> [UInt64] {
        let count = words.count - size + 1
        let lastRotation = UInt64((13 * (size - 1)) & 63)
        return [UInt64](unsafeUninitializedCapacity: count) { result, initialized in
            words.withUnsafeBufferPointer { words in
                var combined: UInt64 = 0
                for offset in 0..<size { combined ^= rotated(words[offset], by: UInt64((13 * offset) & 63)) }
                for start in 0..<count {
                    result[start] = WordHash.finalized(combined)
                    if start &+ size < words.count {
                        combined = rotated(combined ^ words[start], by: 64 - 13)
                        combined ^= rotated(words[start &+ size], by: lastRotation)
                    }
                }
            }
            initialized = count
        }
    }

    @inline(__always)
    private static func rotated(_ value: UInt64, by bits: UInt64) -> UInt64 {
        (value &<< bits) | (value &>> ((64 &- bits) & 63))
    }

    /// The signature of a set of shingle hashes: for each hash function, the minimum (32 bits; for
    /// `.wide`, the 64-bit minimum's upper half, enough to tell values apart while halving the
    /// stored size).
    public func signature(of shingles: [UInt64]) -> [UInt32] {
        switch version {
        case .wide:
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
        case .narrow:
            var minimums = [UInt32](repeating: .max, count: count)
            narrowMultipliers.withUnsafeBufferPointer { a in
                narrowIncrements.withUnsafeBufferPointer { b in
                    minimums.withUnsafeMutableBufferPointer { m in
                        shingles.withUnsafeBufferPointer { x in
                            winnow_minhash32_update(
                                x.baseAddress, x.count, a.baseAddress, b.baseAddress, m.baseAddress, m.count)
                        }
                    }
                }
            }
            return minimums
        }
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

/// A hash of a word's bytes (`bytes[start..<start + length]` of a buffer of `count` bytes).
protocol WordHashing {
    static func hash(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ start: Int, _ length: Int) -> UInt64
}

/// Version 1's word hash: XXH3-64, through the library.
enum XXH3Word: WordHashing {
    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ start: Int, _ length: Int) -> UInt64 {
        XXH3_64bits(bytes + start, length)
    }
}

/// Version 2's word hash, compiled into the loop that finds the words (where version 1 calls into
/// the XXH3 library for each word): each eight bytes (the last ones zero-padded) are mixed in with a
/// multiply, the length seeds it, and the multiply-xorshift steps of MurmurHash3's finalizer spread
/// the bits. A word of up to eight bytes, most of them, costs one load and three multiplies, and two
/// such words of one length never collide (every step is a bijection); the shingle hash mixes again.
enum WordHash: WordHashing {
    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ start: Int, _ length: Int) -> UInt64 {
        var hash = UInt64(truncatingIfNeeded: length) &* 0x9E37_79B9_7F4A_7C15
        var offset = start
        var rest = length
        while rest > 8 {
            hash = (hash ^ load(bytes, at: offset)) &* 0xC2B2_AE3D_27D4_EB4F
            hash ^= hash >> 31
            offset &+= 8
            rest &-= 8
        }
        // The last one to eight bytes: a whole load when eight bytes are there to read, masked.
        let tail: UInt64
        if offset &+ 8 <= count {
            tail = rest == 8 ? load(bytes, at: offset) : load(bytes, at: offset) & ((1 &<< UInt64(rest &* 8)) &- 1)
        } else {
            var value: UInt64 = 0
            for index in 0..<rest { value |= UInt64(bytes[offset &+ index]) &<< UInt64(index &* 8) }
            tail = value
        }
        hash = (hash ^ tail) &* 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash = hash &* 0xC4CE_B9FE_1A85_EC53
        return hash ^ (hash >> 33)
    }

    /// MurmurHash3's 64-bit finalizer: every bit of the result depends on every bit of `value`.
    @inline(__always)
    static func finalized(_ value: UInt64) -> UInt64 {
        var hash = (value ^ (value >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        hash = (hash ^ (hash >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return hash ^ (hash >> 33)
    }

    @inline(__always)
    private static func load(_ bytes: UnsafePointer<UInt8>, at offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes + offset).loadUnaligned(as: UInt64.self))
    }
}
