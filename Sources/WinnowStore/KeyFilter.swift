import Synchronization

/// A blocked Bloom filter of 64-bit keys: says for sure that a key is not in a table, so a lookup
/// whose keys are all absent (most documents share no band, no fingerprint and no line with what
/// was kept) skips SQLite. Four bits in one 64-bit word per key; about 16 bits per key, so about
/// one key in 200 is a false "maybe". It grows by being rebuilt from its table, twice as large, up
/// to a memory budget: past that it keeps its size and says "maybe" more often (about one key in 40
/// at twice as many keys as it was sized for), so the process's memory stays bounded however large
/// the index grows, and only the lookups that reach SQLite grow.
final class KeyFilter: Sendable {
    private struct Bits {
        var words: [UInt64]
        var count = 0
        let maximumWords: Int
        var capacity: Int { words.count * 4 }
        /// Whether it has more keys than it was sized for and could grow (a rebuild would help).
        var wantsRebuild: Bool { count > capacity && words.count < maximumWords }

        init(capacity: Int, maximumWords: Int) {
            var size = 1 << 10
            while size * 4 < capacity && size < maximumWords { size <<= 1 }
            words = Array(repeating: 0, count: size)
            self.maximumWords = maximumWords
        }

        /// Sets the keys' bits in one tight loop: the words are scattered over the filter, so each
        /// is a cache miss, and only a loop with nothing else in it lets the processor have many
        /// of them in flight at once.
        mutating func insert<Keys: Sequence>(contentsOf keys: Keys) where Keys.Element == UInt64 {
            var added = 0
            words.withUnsafeMutableBufferPointer { words in
                for key in keys {
                    let (word, mask) = Self.place(key, words.count)
                    words[word] |= mask
                    added += 1
                }
            }
            count += added
        }

        func mayContain(_ key: UInt64) -> Bool {
            let (word, mask) = Self.place(key, words.count)
            return words[word] & mask == mask
        }

        /// The word and the four bits of `key`, from a remix of it (keys may be weak hashes).
        private static func place(_ key: UInt64, _ size: Int) -> (Int, UInt64) {
            var z = key &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let word = Int(truncatingIfNeeded: z >> 40) & (size - 1)
            let mask =
                (1 << (z & 63)) | (1 << ((z >> 6) & 63)) | (1 << ((z >> 12) & 63)) | (1 << ((z >> 18) & 63)) as UInt64
            return (word, mask)
        }
    }

    private let bits: Mutex<Bits>

    /// An empty filter that will never take more than `maximumBytes` (rounded down to a power of two).
    init(maximumBytes: Int) {
        var words = 1 << 10
        while words * 2 * 8 <= maximumBytes { words <<= 1 }
        bits = Mutex(Bits(capacity: 0, maximumWords: words))
    }

    /// The memory its bits take now.
    var bytes: Int { bits.withLock { $0.words.count * 8 } }

    /// Replaces the content with the keys `fill` gives, sized for twice `expected` of them (or the
    /// budget, if smaller).
    func rebuild(expected: Int, fill: ((UInt64) -> Void) throws -> Void) rethrows {
        var fresh = Bits(capacity: max(2 * expected, 1 << 16), maximumWords: bits.withLock { $0.maximumWords })
        // Keys are set 4,096 at a time, not as each row is read: the reading between two keys kept
        // the processor from overlapping their cache misses (opening a million documents' index
        // took 16-17 s before, 12-14 s after).
        var pending: [UInt64] = []
        pending.reserveCapacity(4096)
        try fill { key in
            pending.append(key)
            if pending.count == 4096 {
                fresh.insert(contentsOf: pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        fresh.insert(contentsOf: pending)
        bits.withLock { $0 = fresh }
    }

    /// Adds keys; returns false when the filter is past its capacity and should be rebuilt larger
    /// (never once it has reached its budget).
    @discardableResult
    func insert<Keys: Sequence>(_ keys: Keys) -> Bool where Keys.Element == UInt64 {
        bits.withLock { bits in
            bits.insert(contentsOf: keys)
            return !bits.wantsRebuild
        }
    }

    /// Whether `key` may be in the table (false: it is not).
    func mayContain(_ key: UInt64) -> Bool {
        bits.withLock { $0.mayContain(key) }
    }
}
