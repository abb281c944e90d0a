import GRDB
import WinnowCore

extension WinnowDatabase: LineCountReading {
    /// The line counts' runs hold about this many lines at most; past it, lines seen in fewer than
    /// three documents (the ones that never became furniture) are forgotten first, when the runs
    /// are merged into one (WinnowDatabase+Runs.swift).
    public static let defaultLineCapacity = 2_000_000

    public func documentCounts(lineKeys: [UInt64]) throws -> [UInt64: Int] {
        let keys = Set(lineKeys.filter(filters.lines.mayContain)).map { Int64(bitPattern: $0) }
        guard !keys.isEmpty else { return [:] }
        return try queue.inDatabase { db in
            // A line's count is the sum of its rows in the recent table, the frozen ones and the runs.
            var counts: [UInt64: Int] = [:]
            for row in try rows(.lines, keys: keys, in: db) {
                counts[UInt64(bitPattern: row.key), default: 0] += Int(row.value)
            }
            return counts
        }
    }

    /// Adds one document to each of its lines' counts (inside the commit's transaction), one upsert
    /// per distinct line of the batch into the recent table, in key order (one walk down the
    /// B-tree); returns the table frozen if the recent one reached its capacity.
    func countLines(_ documents: [[UInt64]], in db: Database) throws -> (
        added: Int, frozen: (table: String, sequence: Int)?
    ) {
        guard !documents.isEmpty else { return (0, nil) }
        let upsert = try RawStatement(
            db,
            """
            INSERT INTO repeated_line_recent (key, documents) VALUES (?, ?)
            ON CONFLICT(key) DO UPDATE SET documents = documents + excluded.documents
            """)
        var batch: [UInt64: Int64] = [:]
        for keys in documents {
            for key in keys { batch[key, default: 0] += 1 }
        }
        for (key, documents) in batch.sorted(by: { Int64(bitPattern: $0.key) < Int64(bitPattern: $1.key) }) {
            upsert.bind(1, Int64(bitPattern: key))
            upsert.bind(2, documents)
            try upsert.run()
        }
        return (batch.count, try freezeIfFull(.lines, added: batch.count, in: db))
    }
}
