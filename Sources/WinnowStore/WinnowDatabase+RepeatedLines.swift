import GRDB
import Synchronization
import WinnowCore

extension WinnowDatabase: LineCountReading {
    /// The repeated-line table holds at most this many lines; past it, lines seen in fewer than three
    /// documents (the ones that never became furniture) are forgotten first, a tenth at a time.
    static let repeatedLineCapacity = 2_000_000

    public func documentCounts(lineKeys: [UInt64]) throws -> [UInt64: Int] {
        let lineKeys = lineKeys.filter(filters.lines.mayContain)
        guard !lineKeys.isEmpty else { return [:] }
        return try queue.inDatabase { db in
            var counts: [UInt64: Int] = [:]
            // SQLite's default limit on bound parameters is 999 in older builds: ask in slices.
            for start in stride(from: 0, to: lineKeys.count, by: 500) {
                let slice = lineKeys[start..<min(start + 500, lineKeys.count)]
                let placeholders = RawStatement.numberedPlaceholders(slice.count)
                // The main count plus what the recent part added since the line was last moved.
                let statement = try RawStatement(
                    db,
                    """
                    SELECT key, sum(documents) FROM (
                        SELECT key, documents FROM repeated_line WHERE key IN (\(placeholders))
                        UNION ALL SELECT key, documents FROM repeated_line_recent WHERE key IN (\(placeholders)))
                    GROUP BY key
                    """)
                for (index, key) in slice.enumerated() { statement.bind(Int32(index + 1), Int64(bitPattern: key)) }
                try statement.run { row in counts[UInt64(bitPattern: row.int64(0))] = Int(row.int64(1)) }
            }
            return counts
        }
    }

    /// Adds one document to each of its lines' counts (inside the commit's transaction), one upsert
    /// per line into the recent part, and every 100,000 of them checks the main part against its
    /// capacity (the recent part is bounded by the sweep).
    func countLines(_ documents: [[UInt64]], in db: Database) throws {
        guard !documents.isEmpty else { return }
        let upsert = try RawStatement(
            db,
            """
            INSERT INTO repeated_line_recent (key, documents) VALUES (?, ?)
            ON CONFLICT(key) DO UPDATE SET documents = documents + excluded.documents
            """)
        // One upsert per distinct line of the batch, in key order (one walk down the B-tree).
        var batch: [UInt64: Int64] = [:]
        var counted = 0
        for keys in documents {
            for key in keys { batch[key, default: 0] += 1 }
            counted += keys.count
        }
        for (key, documents) in batch.sorted(by: { Int64(bitPattern: $0.key) < Int64(bitPattern: $1.key) }) {
            upsert.bind(1, Int64(bitPattern: key))
            upsert.bind(2, documents)
            try upsert.run()
        }
        try sweep(.lines, added: batch.count, in: db)
        guard lineCountsSinceCheck.add(counted, every: 100_000) else { return }
        let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM repeated_line") ?? 0
        guard rows > Self.repeatedLineCapacity else { return }
        try db.execute(
            sql: """
                DELETE FROM repeated_line WHERE key IN
                    (SELECT key FROM repeated_line WHERE documents < 3 LIMIT ?)
                """, arguments: [rows - Self.repeatedLineCapacity + Self.repeatedLineCapacity / 10])
    }
}

/// Counts line upserts between capacity checks of the repeated-line table.
final class CheckInterval: Sendable {
    private let count = Mutex(0)

    /// Adds `amount`; true (and restarts) once `every` has been reached.
    func add(_ amount: Int, every: Int) -> Bool {
        count.withLock { value in
            value += amount
            guard value >= every else { return false }
            value = 0
            return true
        }
    }
}
