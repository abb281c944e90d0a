/// The rows the last commits added to one run-backed index (bands, fingerprints or line counts),
/// held in memory until there are enough of them to write out as a run. Their durable copy is one
/// blob per commit in `index_log` (`encode`), written in the commit's transaction and read back
/// when the database is opened: a commit writes one row per index instead of a B-tree insert per
/// key, and a lookup is a dictionary probe instead of an SQLite query.
struct RecentRows: Sendable {
    /// Whether a key's values add up (line counts) rather than stand as rows of their own.
    let sums: Bool
    /// Each key's first value: its first document, or its count.
    private var first = KeyTable()
    /// The further documents of keys with several (a band or fingerprint shared by near copies).
    private var more: [Int64: [Int64]] = [:]
    /// Rows held: distinct (key, document) pairs, or distinct keys of a count.
    private(set) var count = 0

    init(sums: Bool) {
        self.sums = sums
    }

    var isEmpty: Bool { count == 0 }

    /// Adds rows; a (key, document) pair held already is not added twice, and counts add up.
    mutating func add(_ entries: [IndexEntry]) {
        first.reserve(first.count + entries.count)
        for entry in entries {
            let slot = first.slot(of: entry.key)
            guard let held = first.value(at: slot) else {
                first.insert(entry.key, entry.document, at: slot)
                count += 1
                continue
            }
            if sums {
                first.update(held + entry.document, at: slot)
            } else if held != entry.document && more[entry.key]?.contains(entry.document) != true {
                more[entry.key, default: []].append(entry.document)
                count += 1
            }
        }
    }

    /// Calls `body` with each value held under `key`.
    @inline(__always)
    func values(forKey key: Int64, _ body: (Int64) -> Void) {
        guard let value = first.value(at: first.slot(of: key)) else { return }
        body(value)
        if let others = more[key] { others.forEach(body) }
    }

    /// Calls `body` with each key held.
    func forEachKey(_ body: (Int64) throws -> Void) rethrows {
        try first.forEach { key, _ in try body(key) }
    }

    /// Every row, in the order a run holds them (by key, then value).
    func sortedEntries() -> [IndexEntry] {
        var entries: [IndexEntry] = []
        entries.reserveCapacity(count)
        first.forEach { key, value in entries.append(IndexEntry(key: key, document: value)) }
        for (key, values) in more {
            for value in values { entries.append(IndexEntry(key: key, document: value)) }
        }
        entries.sortByKey()
        return entries
    }

    /// `entries` as stored in `index_log`: each key and value as 64-bit little-endian integers.
    static func encode(_ entries: [IndexEntry]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: entries.count * 16)
        bytes.withUnsafeMutableBytes { raw in
            for (index, entry) in entries.enumerated() {
                raw.storeBytes(of: entry.key.littleEndian, toByteOffset: index * 16, as: Int64.self)
                raw.storeBytes(of: entry.document.littleEndian, toByteOffset: index * 16 + 8, as: Int64.self)
            }
        }
        return bytes
    }

    /// The entries of an `index_log` blob (a trailing partial entry, which `encode` never writes,
    /// is ignored).
    static func decode(_ raw: UnsafeRawBufferPointer) -> [IndexEntry] {
        (0..<raw.count / 16).map { index in
            IndexEntry(
                key: Int64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 16, as: Int64.self)),
                document: Int64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 16 + 8, as: Int64.self)))
        }
    }
}

/// An open-addressing table from 64-bit keys to 64-bit values, for `RecentRows`: its keys are hashes
/// already (of bands, fingerprints and line keys), which the standard `Dictionary` hashes again with
/// SipHash on every probe. Slots are found by a multiplicative mix of the key and linear probing; a
/// slot is free when its `used` flag is clear, so every key, 0 included, can be stored. The table
/// grows at half full and never shrinks (a set of recent rows is dropped whole when it is frozen).
private struct KeyTable: Sendable {
    private var keys: [Int64] = []
    private var values: [Int64] = []
    private var used: [Bool] = []
    private var shift = 64
    private(set) var count = 0

    /// Makes room for `wanted` keys without growing while they are inserted.
    mutating func reserve(_ wanted: Int) {
        guard wanted * 2 > keys.count else { return }
        var capacity = max(keys.count, 64)
        while wanted * 2 > capacity { capacity <<= 1 }
        let oldKeys = keys
        let oldValues = values
        let oldUsed = used
        keys = Array(repeating: 0, count: capacity)
        values = Array(repeating: 0, count: capacity)
        used = Array(repeating: false, count: capacity)
        shift = 64 - capacity.trailingZeroBitCount
        count = 0
        for index in oldUsed.indices where oldUsed[index] {
            insert(oldKeys[index], oldValues[index], at: slot(of: oldKeys[index]))
        }
    }

    /// The slot that holds `key`, or the free slot where it would go (`reserve` must have made room).
    @inline(__always)
    func slot(of key: Int64) -> Int {
        guard !keys.isEmpty else { return -1 }
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
        while used[slot] && keys[slot] != key { slot = (slot + 1) & mask }
        return slot
    }

    /// The value in `slot` (from `slot(of:)`), or nil when its key is not held.
    @inline(__always)
    func value(at slot: Int) -> Int64? {
        slot >= 0 && used[slot] ? values[slot] : nil
    }

    /// Stores `key` and `value` in `slot`, free (from `slot(of: key)`).
    @inline(__always)
    mutating func insert(_ key: Int64, _ value: Int64, at slot: Int) {
        keys[slot] = key
        values[slot] = value
        used[slot] = true
        count += 1
    }

    /// Replaces the value in `slot`, which holds a key.
    @inline(__always)
    mutating func update(_ value: Int64, at slot: Int) {
        values[slot] = value
    }

    /// Calls `body` with each key and its value, in slot order.
    func forEach(_ body: (Int64, Int64) throws -> Void) rethrows {
        for index in used.indices where used[index] { try body(keys[index], values[index]) }
    }
}
