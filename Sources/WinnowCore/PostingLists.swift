/// Keys each mapped to the positions (in order of addition) they were added with, for the keys of
/// the documents a batch has kept but not yet committed. The lists are chains through one array, so
/// a key costs a dictionary entry and no array of its own: a document adds a score of keys (its
/// bands and containment fingerprints), each usually seen once, and every list is dropped at the
/// commit.
struct PostingLists<Key: Hashable> {
    /// The first and last entry of each key's chain.
    private var ends: [Key: (first: Int32, last: Int32)] = [:]
    /// Each entry: a position, and the next entry of its key's chain (-1 at the end).
    private var entries: [(position: Int32, next: Int32)] = []

    /// Adds `position` to the end of `key`'s list (one lookup of `key`).
    mutating func add(_ key: Key, _ position: Int) {
        let entry = Int32(truncatingIfNeeded: entries.count)
        entries.append((Int32(truncatingIfNeeded: position), -1))
        let last = Self.link(&ends[key, default: (-1, -1)], entry)
        if last >= 0 { entries[Int(last)].next = entry }
    }

    /// Makes `entry` the end of `chain` (and its start, for a new key); returns the end before.
    private static func link(_ chain: inout (first: Int32, last: Int32), _ entry: Int32) -> Int32 {
        let last = chain.last
        if chain.first < 0 { chain.first = entry }
        chain.last = entry
        return last
    }

    /// Calls `body` with each position of `key`'s list, in the order they were added.
    func forEach(_ key: Key, _ body: (Int) -> Void) {
        guard var entry = ends[key]?.first else { return }
        while entry >= 0 {
            body(Int(entries[Int(entry)].position))
            entry = entries[Int(entry)].next
        }
    }

    /// Empties every list, keeping the storage for the next batch.
    mutating func removeAll() {
        ends.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }
}
