/// The rows the last commits added to one run-backed index (bands, fingerprints or line counts),
/// held in memory until there are enough of them to write out as a run. Their durable copy is one
/// blob per commit in `index_log` (`encode`), written in the commit's transaction and read back
/// when the database is opened: a commit writes one row per index instead of a B-tree insert per
/// key, and a lookup is a dictionary probe instead of an SQLite query.
struct RecentRows: Sendable {
    /// Whether a key's values add up (line counts) rather than stand as rows of their own.
    let sums: Bool
    /// Each key's first value: its first document, or its count.
    private var first: [Int64: Int64] = [:]
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
        first.reserveCapacity(first.count + entries.count)
        for entry in entries {
            guard let held = first[entry.key] else {
                first[entry.key] = entry.document
                count += 1
                continue
            }
            if sums {
                first[entry.key] = held + entry.document
            } else if held != entry.document && more[entry.key]?.contains(entry.document) != true {
                more[entry.key, default: []].append(entry.document)
                count += 1
            }
        }
    }

    /// Calls `body` with each value held under `key`.
    @inline(__always)
    func values(forKey key: Int64, _ body: (Int64) -> Void) {
        guard let value = first[key] else { return }
        body(value)
        if let others = more[key] { others.forEach(body) }
    }

    /// Calls `body` with each key held.
    func forEachKey(_ body: (Int64) throws -> Void) rethrows {
        for key in first.keys { try body(key) }
    }

    /// Every row, in the order a run holds them (by key, then value).
    func sortedEntries() -> [IndexEntry] {
        var entries: [IndexEntry] = []
        entries.reserveCapacity(count)
        for (key, value) in first { entries.append(IndexEntry(key: key, document: value)) }
        for (key, values) in more {
            for value in values { entries.append(IndexEntry(key: key, document: value)) }
        }
        entries.sort()
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

    /// `rows` sorted by key and value, each pair once: what one commit logs.
    static func distinctSorted(_ rows: [IndexEntry]) -> [IndexEntry] {
        var sorted = rows.sorted()
        var kept = 0
        for index in sorted.indices where index == 0 || sorted[index] != sorted[kept - 1] {
            sorted[kept] = sorted[index]
            kept += 1
        }
        sorted.removeLast(sorted.count - kept)
        return sorted
    }
}
