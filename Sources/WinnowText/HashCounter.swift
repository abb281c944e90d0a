/// An open-addressing table from already-hashed 64-bit keys to a count and a length, cleared and
/// reused between passes: the n-gram and duplicate-line measures insert every word or line, and
/// the standard `Set`/`Dictionary` rehash keys that are hashes already. It owns its memory.
final class HashCounter {
    private var keys: UnsafeMutablePointer<UInt64>
    private var counts: UnsafeMutablePointer<Int32>
    private var lengths: UnsafeMutablePointer<Int32>
    private var capacity = 16
    private var mask = 15

    init() {
        keys = .allocate(capacity: capacity)
        counts = .allocate(capacity: capacity)
        lengths = .allocate(capacity: capacity)
    }

    deinit {
        keys.deallocate()
        counts.deallocate()
        lengths.deallocate()
    }

    /// Empties the table, sized for at most `expected` insertions.
    func reset(expected: Int) {
        var wanted = 16
        while wanted < expected * 2 { wanted <<= 1 }
        if wanted > capacity {
            keys.deallocate()
            counts.deallocate()
            lengths.deallocate()
            capacity = wanted
            keys = .allocate(capacity: capacity)
            counts = .allocate(capacity: capacity)
            lengths = .allocate(capacity: capacity)
        }
        mask = wanted - 1
        keys.update(repeating: 0, count: wanted)
    }

    /// Counts one more occurrence of `key` (whose item is `length` long); returns the new count and
    /// the length stored with the first occurrence.
    @inline(__always)
    func add(_ key: UInt64, length: Int) -> (count: Int, length: Int) {
        let stored = key == 0 ? 1 : key
        var slot = Int(truncatingIfNeeded: stored ^ (stored >> 31)) & mask
        while true {
            let current = keys[slot]
            if current == stored {
                counts[slot] += 1
                return (Int(counts[slot]), Int(lengths[slot]))
            }
            if current == 0 {
                keys[slot] = stored
                counts[slot] = 1
                lengths[slot] = Int32(truncatingIfNeeded: length)
                return (1, length)
            }
            slot = (slot + 1) & mask
        }
    }
}
