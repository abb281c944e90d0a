import Foundation
import GRDB
import Testing
import WinnowCore
import WinnowText

@testable import WinnowStore

/// The band, fingerprint and line-count indexes as the commits see them (WinnowDatabase+Runs.swift):
/// recent rows held in memory (and logged) that freeze at their capacity, written out as runs and
/// merged, with every row in exactly one part and every count the sum of its parts. IndexRunTests
/// has the runs themselves.
@Suite struct RecentKeysTests {
    static func rows(_ table: String, in database: WinnowDatabase) throws -> Int {
        try database.queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    /// Rows of a run-backed index in all its parts: recent and frozen rows, frozen tables, runs.
    /// Taken inside the queue, where the maintenance thread cannot swap frozen rows for their run.
    static func rows(_ part: RunPart, in database: WinnowDatabase) throws -> Int {
        try database.queue.inDatabase { db in
            let state = database.runs.part(part)
            let held =
                state.runs.reduce(state.recent.count) { $0 + $1.count }
                + state.frozenRecent.reduce(0) { $0 + $1.rows.count }
            return try state.frozen.map(\.table).reduce(held) {
                $0 + (try Int.fetchOne(db, sql: "SELECT count(*) FROM \($1)") ?? 0)
            }
        }
    }

    /// The rows `index_log` holds for `part`, decoded.
    static func loggedRows(_ part: RunPart, in database: WinnowDatabase) throws -> [IndexEntry] {
        try database.queue.inDatabase { db in
            var entries: [IndexEntry] = []
            let statement = try RawStatement(db, uncached: "SELECT rows FROM index_log WHERE part = ?")
            statement.bind(1, part.name)
            try statement.run { entries += $0.withBlob(0, RecentRows.decode) }
            return entries
        }
    }

    @Test(
        "the recent rows stay within their capacity, every row is in one part, every document and line count is found",
        .timeLimit(.minutes(2)),
        arguments: [false, true])
    func everyRowInOnePart(reopenEachTime: Bool) throws {
        let directory = try TemporaryDirectory("winnow-recent")
        defer { directory.remove() }
        let path = directory.path + "/winnow.sqlite"
        let capacity = 1_000  // 21 sets of band rows and about 9 of line counts frozen, their runs merged
        var database = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version, runTableCapacity: capacity)
        var source = KeySource(state: 5)
        var documents: [(id: String, key: NearKey)] = []
        var largest = 0
        let linePool = (0..<400).map { _ in source.next() }
        var lineCounts: [UInt64: Int] = [:]
        // Commits of 1 to 40 documents (14 bands, 12 fingerprints and 3 to 6 lines each).
        for commit in 0..<120 {
            let count = [1, 3, 7, 40][commit % 4]
            let batch = (0..<count).map { index in (id: "c\(commit)-\(index)", key: source.nearKey()) }
            documents += batch
            largest = max(largest, count * 14, count * 6)
            // Three lines per document from a pool of 400 (counts spread over many parts, which
            // merges add up), and three of its own.
            let lines = batch.map { _ in
                Set((0..<3).map { _ in linePool[Int(source.next() % 400)] } + (0..<3).map { _ in source.next() })
            }
            for key in lines.joined() { lineCounts[key, default: 0] += 1 }
            let input = InputRecord(name: "c\(commit)", claimName: "c\(commit)", contentHash: "h\(commit)", size: 1)
            try database.commit(
                CommitBatch(input: input, nearKeys: batch.map { ($0.key, $0.id) }, lineKeys: lines.map(Array.init)))
            if reopenEachTime && commit % 10 == 9 {
                database.waitForIndexMaintenance()
                database = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version, runTableCapacity: capacity)
            }
            #expect(database.runs.part(.lines).recent.count < capacity + largest)
            #expect(database.runs.part(.bands).recent.count < capacity + largest)
            #expect(try Self.rows(.bands, in: database) == documents.count * 14)
            #expect(database.runs.part(.fingerprints).recent.count < capacity + count * 12)
            #expect(try Self.rows(.fingerprints, in: database) == documents.count * 12)
        }
        #expect(try database.documentCounts(lineKeys: Array(lineCounts.keys)) == lineCounts)
        database.waitForIndexMaintenance()
        #expect(try database.documentCounts(lineKeys: Array(lineCounts.keys)) == lineCounts)
        for part in RunPart.all {
            let state = database.runs.part(part)
            #expect(state.frozen.isEmpty && state.frozenRecent.isEmpty)
            // The log holds the recent rows, and nothing of what was written out.
            let logged = try Self.loggedRows(part, in: database)
            #expect(part.sums ? Set(logged.map(\.key)).count == state.recent.count : logged.count == state.recent.count)
            // Tables of about 1,000 rows written out, merged four at a time.
            #expect(state.runs.count < 8, "\(part.name): \(state.runs.map(\.count))")
            #expect(state.runs.contains { $0.count >= (part.sums ? 2 : 4) * capacity }, "\(state.runs.map(\.count))")
        }
        try IndexRunTests.expectFound(documents.map { ($0.key, $0.id) }, in: database) {
            [$0.bands[documents.count % 14]]
        }
    }

    @Test(
        "each commit logs one row per index; frozen rows not written out are bounded in memory, read back, written out and found",
        .timeLimit(.minutes(1)))
    func frozenRowsSurviveAStop() throws {
        let directory = try TemporaryDirectory("winnow-recent")
        defer { directory.remove() }
        let path = directory.path + "/winnow.sqlite"
        var database = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version, runTableCapacity: 100)
        // Stopped before any work: the rows frozen from here on stay in memory and in the log.
        database.stopIndexMaintenance()
        var source = KeySource(state: 17)
        let lines = (0..<3).map { _ in source.next() }
        var documents: [(key: NearKey, id: String)] = []
        for commit in 0..<20 {
            let batch = (0..<2).map { index in (key: source.nearKey(), id: "c\(commit)-\(index)") }
            documents += batch
            let name = "c\(commit)"
            try database.commit(
                CommitBatch(
                    input: InputRecord(name: name, claimName: name, contentHash: name, size: 1),
                    nearKeys: batch.map { ($0.key, $0.id) }, lineKeys: batch.map { _ in lines }))
            let logged = try database.queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM index_log") }
            // The last commit freezes a fifth set of band rows, one more than memory holds: its
            // four blobs leave the log for a frozen table.
            #expect(logged == (commit + 1) * 3 - (commit == 19 ? 4 : 0))
        }
        // 28 band rows a commit at a capacity of 100: frozen after every fourth commit, never written out.
        let bands = database.runs.part(.bands)
        #expect(bands.frozenRecent.count == IndexRuns.frozenSetsInMemory && bands.recent.isEmpty && bands.runs.isEmpty)
        #expect(bands.frozen.count == 1)
        if let table = bands.frozen.first?.table { #expect(try Self.rows(table, in: database) == 4 * 28) }
        #expect(database.runs.part(.fingerprints).frozen.isEmpty)
        try IndexRunTests.expectFound(documents, in: database)

        database = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version, runTableCapacity: 100)
        database.waitForIndexMaintenance()
        for part in [RunPart.bands, .fingerprints] {
            let state = database.runs.part(part)
            #expect(state.recent.isEmpty && state.frozenRecent.isEmpty && state.frozen.isEmpty, "\(part.name)")
            // The table and the sets read back from the log, each written out as a run.
            let runs = part == .bands ? [4 * 28, 16 * 28] : [20 * 24]
            #expect(state.runs.map(\.count).sorted() == runs, "\(part.name)")
            #expect(try Self.loggedRows(part, in: database).isEmpty, "\(part.name)")
        }
        // Three line counts stay recent, summed from twenty blobs.
        #expect(database.runs.part(.lines).recent.count == 3)
        #expect(
            try database.documentCounts(lineKeys: lines) == Dictionary(uniqueKeysWithValues: lines.map { ($0, 40) }))
        try IndexRunTests.expectFound(documents, in: database)
    }

    @Test(
        "past their bound, the line counts' runs forget lines seen in fewer than three documents, and keep the rest",
        .timeLimit(.minutes(1)))
    func lineCountsStayBounded() throws {
        let directory = try TemporaryDirectory("winnow-recent")
        defer { directory.remove() }
        let bound = 2_000
        let database = try WinnowDatabase(
            path: directory.path + "/winnow.sqlite", exactKeyVersion: ExactKey.version, runTableCapacity: 200,
            lineCapacity: bound)
        var source = KeySource(state: 9)
        let furniture = (0..<20).map { _ in source.next() }
        var once: [UInt64] = []
        // 1,500 documents: every one has two of the twenty furniture lines and four lines of its own.
        for commit in 0..<150 {
            var lines: [[UInt64]] = []
            for document in 0..<10 {
                let own = (0..<4).map { _ in source.next() }
                once += own
                lines.append(
                    [furniture[(commit * 10 + document) % 20], furniture[(commit * 10 + document + 7) % 20]] + own)
            }
            let name = "c\(commit)"
            try database.commit(
                CommitBatch(
                    input: InputRecord(name: name, claimName: name, contentHash: name, size: 1), lineKeys: lines))
        }
        database.waitForIndexMaintenance()
        // 6,000 lines seen once: the runs keep about the bound, not all of them.
        let kept = database.runs.part(.lines).runs.reduce(0) { $0 + $1.count }
        #expect(kept <= bound * 5 / 4 + 20, "\(kept) line counts in runs for a bound of \(bound)")
        #expect(try database.documentCounts(lineKeys: once).count < once.count / 2)
        // Every furniture line was seen in 150 documents, and none of them is forgotten.
        #expect(
            try database.documentCounts(lineKeys: furniture)
                == Dictionary(uniqueKeysWithValues: furniture.map { ($0, 150) }))
    }

    @Test(
        "recent rows hold what a dictionary of the same rows holds: 0 and keys that share a slot included, across growth",
        arguments: [false, true])
    func recentRowsMatchADictionary(sums: Bool) {
        var source = KeySource(state: 42)
        // Few distinct keys (many repeats and shared slots), 0 and the extremes among them.
        let keyPool: [Int64] =
            [0, -1, .min, .max] + (0..<3_000).map { _ in Int64(bitPattern: source.next()) }
        var rows = RecentRows(sums: sums)
        var model: [Int64: [Int64]] = [:]
        for batch in 0..<40 {
            let entries = (0..<(batch * 37 % 500)).map { _ in
                IndexEntry(
                    key: keyPool[Int(source.next() % UInt64(keyPool.count))],
                    document: Int64(source.next() % 5))
            }
            rows.add(entries)
            for entry in entries {
                if sums {
                    model[entry.key, default: [0]][0] += entry.document
                } else if model[entry.key]?.contains(entry.document) != true {
                    model[entry.key, default: []].append(entry.document)
                }
            }
        }
        #expect(rows.count == model.values.reduce(0) { $0 + $1.count })
        for (key, values) in model {
            var held: [Int64] = []
            rows.values(forKey: key) { held.append($0) }
            #expect(held.sorted() == values.sorted(), "key \(key)")
        }
        var missing = 0
        for _ in 0..<1_000 {
            let key = Int64(bitPattern: source.next())
            if model[key] == nil { rows.values(forKey: key) { _ in missing += 1 } }
        }
        #expect(missing == 0)
        var keys: [Int64] = []
        rows.forEachKey { keys.append($0) }
        #expect(keys.sorted() == model.keys.sorted())
        let expected = model.flatMap { key, values in values.map { IndexEntry(key: key, document: $0) } }.sorted()
        #expect(rows.sortedEntries() == expected)
    }
}
