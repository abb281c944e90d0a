import GRDB

/// The line counts, which every commit adds to, are kept in two parts (so were the band and
/// fingerprint indexes, before they became log-structured: WinnowDatabase+Runs.swift): a small
/// `…_recent` table that commits write to, and the main table, which receives rows only from the
/// recent one, in key order. The keys are hashes, so a
/// commit's rows written straight into a large table dirty one random page each: about 30 pages per
/// document once the index outgrows the page cache, which made a document cost 9× more to index at
/// a million documents than at ten thousand.
///
/// Each commit also sweeps one slice of the key space: the recent rows whose keys fall in it move
/// to the main table in one `INSERT … SELECT` in key order, which rewrites a run of neighbouring
/// pages. A slice's width is proportional to the rows the commit added, so the sweep goes round the
/// key space once per `recentCapacity` rows added: a recent table holds at most about that many
/// rows (half on average) and stays in the page cache, and a main-table page is rewritten about
/// once per round instead of once per key that lands on it. Lookups read both parts. The sweep's
/// position is written in the same transaction as the rows, so a crash loses or repeats no move.
struct SweptTable: Sendable {
    var main: String
    var recent: String
    var key: String
    var columns: String
    /// What a moved row does to a main row with its key (the recent part of a line count holds
    /// an increment, which is added).
    var onConflict: String
    /// The key at a sweep position: position 0 is the lowest key, and keys grow with the position,
    /// so consecutive slices `[p, q)` of positions tile the key space.
    var bound: @Sendable (UInt64) -> Int64

    /// Both parts, which lookups and the negative filter read.
    var parts: [String] { [main, recent] }

    /// Copies the recent rows with keys in `[?1, ?2]` to the main part, in key order.
    var copySQL: String {
        """
        INSERT INTO \(main) (\(columns))
        SELECT \(columns) FROM \(recent) WHERE \(key) BETWEEN ?1 AND ?2 ORDER BY \(key) \(onConflict)
        """
    }

    /// Removes the recent rows with keys in `[?1, ?2]`.
    var deleteSQL: String { "DELETE FROM \(recent) WHERE \(key) BETWEEN ?1 AND ?2" }

    /// Line counts: XXH3-64 values stored as signed integers, with the documents seen since the
    /// line was last moved in the recent part. A lookup adds the two parts.
    static let lines = SweptTable(
        main: "repeated_line", recent: "repeated_line_recent", key: "key", columns: "key, documents",
        onConflict: "ON CONFLICT(key) DO UPDATE SET documents = documents + excluded.documents", bound: signedKey)

    /// 64-bit hashes stored as signed integers: position 0 is `Int64.min`.
    private static func signedKey(_ position: UInt64) -> Int64 { Int64(bitPattern: position ^ (1 << 63)) }
}

extension WinnowDatabase {
    /// Rows the recent line-count table holds at most, by default: about 30 MB, which the 64 MiB
    /// page cache holds. A larger one makes the sweep go round less often, and each round rewrites
    /// every page of the main table (up to 2,000,000 lines).
    public static let defaultRecentCapacity = 1_000_000

    /// Records that a commit added `added` rows to `table`'s recent part and, once the rows added
    /// since the last move pay for a step of the sweep (1/256 of a round, so that small commits
    /// do not each run the move statements for a sliver of keys), moves the slice of the key space
    /// they pay for to the main part. Inside the commit's transaction.
    func sweep(_ table: SweptTable, added: Int, in db: Database) throws {
        guard added > 0 else { return }
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT position, owed FROM sweep WHERE name = ?"), arguments: [table.recent])
        var position = UInt64(bitPattern: row?["position"] ?? 0)
        var owed = (row?["owed"] ?? 0) + added
        if owed >= recentCapacity {
            try move(table, from: .min, through: .max, in: db)
            owed = 0
        } else if owed >= max(1, recentCapacity / 256) {
            let (end, wrapped) = position.addingReportingOverflow(
                UInt64(owed) &* (UInt64.max / UInt64(recentCapacity)))
            let low = table.bound(position)
            let high = table.bound(end)
            if wrapped {
                try move(table, from: low, through: .max, in: db)
                if high > .min { try move(table, from: .min, through: high - 1, in: db) }
            } else if high > low {
                try move(table, from: low, through: high - 1, in: db)
            }
            position = end
            owed = 0
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO sweep (name, position, owed) VALUES (?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET position = excluded.position, owed = excluded.owed
                """
        ).execute(arguments: [table.recent, Int64(bitPattern: position), owed])
    }

    private func move(_ table: SweptTable, from low: Int64, through high: Int64, in db: Database) throws {
        for sql in [table.copySQL, table.deleteSQL] {
            let statement = try RawStatement(db, sql)
            statement.bind(1, low)
            statement.bind(2, high)
            try statement.run()
        }
    }
}
