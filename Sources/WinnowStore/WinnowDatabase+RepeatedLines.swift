import GRDB
import WinnowCore

extension WinnowDatabase: LineCountReading {
    /// The repeated-line table holds at most this many lines; past it, lines seen in fewer than three
    /// documents (the ones that never became furniture) are forgotten first, a tenth at a time.
    static let repeatedLineCapacity = 2_000_000

    public func documentCounts(lineKeys: [UInt64]) throws -> [UInt64: Int] {
        guard !lineKeys.isEmpty else { return [:] }
        return try queue.inDatabase { db in
            var counts: [UInt64: Int] = [:]
            // SQLite's default limit on bound parameters is 999 in older builds: ask in slices.
            for start in stride(from: 0, to: lineKeys.count, by: 500) {
                let slice = lineKeys[start..<min(start + 500, lineKeys.count)]
                let placeholders = Array(repeating: "?", count: slice.count).joined(separator: ",")
                let statement = try db.cachedStatement(
                    sql: "SELECT key, documents FROM repeated_line WHERE key IN (\(placeholders))")
                let arguments = StatementArguments(slice.map { Int64(bitPattern: $0) })
                for row in try Row.fetchAll(statement, arguments: arguments) {
                    let key: Int64 = row[0]
                    counts[UInt64(bitPattern: key)] = row[1]
                }
            }
            return counts
        }
    }

    /// Adds one document to each of its lines' counts (inside the commit's transaction), and keeps
    /// the table within its capacity.
    static func countLines(_ documents: [[UInt64]], in db: Database) throws {
        guard !documents.isEmpty else { return }
        let update = try db.cachedStatement(sql: "UPDATE repeated_line SET documents = documents + 1 WHERE key = ?")
        let insert = try db.cachedStatement(sql: "INSERT INTO repeated_line (key, documents) VALUES (?, 1)")
        var added = 0
        for keys in documents {
            for key in keys {
                try update.execute(arguments: [Int64(bitPattern: key)])
                if db.changesCount == 0 {
                    try insert.execute(arguments: [Int64(bitPattern: key)])
                    added += 1
                }
            }
        }
        guard added > 0 else { return }
        try db.execute(
            sql: """
                INSERT INTO counter (name, value) VALUES ('index.repeated_lines', ?)
                ON CONFLICT(name) DO UPDATE SET value = value + excluded.value
                """, arguments: [added])
        let rows = try Int.fetchOne(db, sql: "SELECT value FROM counter WHERE name = 'index.repeated_lines'") ?? 0
        guard rows > repeatedLineCapacity else { return }
        try db.execute(
            sql: """
                DELETE FROM repeated_line WHERE key IN
                    (SELECT key FROM repeated_line WHERE documents < 3 LIMIT ?)
                """, arguments: [repeatedLineCapacity / 10])
        try db.execute(
            sql: "UPDATE counter SET value = value - ? WHERE name = 'index.repeated_lines'",
            arguments: [db.changesCount])
    }
}
