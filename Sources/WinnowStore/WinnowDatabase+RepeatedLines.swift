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
            // A line's count is the sum of its rows in the recent counts, the frozen ones and the runs.
            var counts: [UInt64: Int] = [:]
            for row in try rows(.lines, keys: keys, in: db) {
                counts[UInt64(bitPattern: row.key), default: 0] += Int(row.value)
            }
            return counts
        }
    }

    /// Adds one document to each of its lines' counts (inside the commit's transaction): the batch's
    /// count for each of its distinct lines, logged as one row (`log`); returns them, and the
    /// sequence of the run the recent counts are frozen for if they reached their capacity.
    func countLines(_ documents: [[UInt64]], in db: Database) throws -> (added: [IndexEntry], frozen: Int?) {
        guard !documents.isEmpty else { return ([], nil) }
        var batch: [UInt64: Int64] = [:]
        for keys in documents {
            for key in keys { batch[key, default: 0] += 1 }
        }
        let entries = batch.map { IndexEntry(key: Int64(bitPattern: $0.key), document: $0.value) }
        return (entries, try log(entries, of: .lines, in: db))
    }
}
