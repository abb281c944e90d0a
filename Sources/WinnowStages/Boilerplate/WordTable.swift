import WinnowText

/// An open-addressing table from word hashes (`LineWord.hash`) to a number, for the boilerplate
/// rules' word lists and counts: the hashes are mixed already, so their low bits are the slot, and
/// a look-up is one or two loads instead of hashing a `String` again. Most look-ups miss (most words
/// are in no list), so the table is kept at most a quarter full: a miss then probes 1.4 slots on
/// average, against 2.5 at half full.
struct WordTable: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    private var count = 0

    /// An empty table with room for `expected` words before it grows.
    init(expected: Int = 8) {
        var capacity = 16
        while capacity < expected * 4 { capacity <<= 1 }
        keys = Array(repeating: 0, count: capacity)
        values = Array(repeating: 0, count: capacity)
        mask = capacity - 1
    }

    /// A set of `words`, each hashed as it is written (`LineWord.hash(of:)`): lowercase words, as
    /// lines' words are.
    init(words: some Collection<String>) {
        self.init(expected: words.count)
        for word in words { set(LineWord.hash(of: word), to: 0) }
    }

    /// Whether `hash` is in the table.
    @inline(__always)
    func contains(_ hash: UInt64) -> Bool {
        keys[slot(of: hash)] == Self.stored(hash)
    }

    /// The number stored for `hash`, or `nil` when it is not in the table.
    @inline(__always)
    subscript(_ hash: UInt64) -> Int32? {
        let slot = slot(of: hash)
        return keys[slot] == Self.stored(hash) ? values[slot] : nil
    }

    /// Stores `value` for `hash`, adding it to the table if it is not there.
    mutating func set(_ hash: UInt64, to value: Int32) {
        var slot = slot(of: hash)
        if keys[slot] == 0 {
            if (count + 1) * 4 > keys.count {
                grow()
                slot = self.slot(of: hash)
            }
            keys[slot] = Self.stored(hash)
            count += 1
        }
        values[slot] = value
    }

    /// Adds one to the number stored for `hash` (0 when it was not in the table).
    @inline(__always)
    mutating func increment(_ hash: UInt64) {
        set(hash, to: (self[hash] ?? 0) + 1)
    }

    /// The slot that holds `hash`, or the empty slot where it would go.
    @inline(__always)
    private func slot(of hash: UInt64) -> Int {
        let stored = Self.stored(hash)
        var slot = Int(truncatingIfNeeded: stored) & mask
        while keys[slot] != stored && keys[slot] != 0 { slot = (slot + 1) & mask }
        return slot
    }

    /// 0 marks an empty slot: a hash of 0 is stored as 1.
    @inline(__always)
    private static func stored(_ hash: UInt64) -> UInt64 { hash == 0 ? 1 : hash }

    /// Doubles the table, whose stored keys go to their slots in the larger one.
    private mutating func grow() {
        var larger = WordTable(expected: keys.count / 2)
        for (key, value) in zip(keys, values) where key != 0 { larger.set(key, to: value) }
        self = larger
    }
}
