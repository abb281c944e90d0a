import Foundation
import GRDB
import Testing
import WinnowCore
import WinnowText

@testable import WinnowStore

/// The line counts in two parts (WinnowDatabase+Sweep.swift): rows are inserted into a small recent
/// table and swept into the main one a slice of the key space per commit. The band and fingerprint
/// indexes beside them are log-structured (WinnowDatabase+Runs.swift, IndexRunTests).
@Suite struct RecentKeysTests {
    static func rows(_ table: String, in database: WinnowDatabase) throws -> Int {
        try database.queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    /// Rows of a run-backed index in all its parts: recent table, frozen tables, runs.
    /// Taken inside the queue, where the maintenance thread cannot swap a frozen table for its run.
    static func rows(_ part: RunPart, in database: WinnowDatabase) throws -> Int {
        try database.queue.inDatabase { db in
            let state = database.runs.part(part)
            return try ([part.recent] + state.frozen.map(\.table)).reduce(state.runs.reduce(0) { $0 + $1.count }) {
                $0 + (try Int.fetchOne(db, sql: "SELECT count(*) FROM \($1)") ?? 0)
            }
        }
    }

    @Test(
        "the recent tables stay within their capacity, every row is in one part, every document and line count is found",
        .timeLimit(.minutes(2)),
        arguments: [false, true])
    func sweepKeepsEveryRowOnce(reopenEachTime: Bool) throws {
        let directory = try TemporaryDirectory("winnow-recent")
        defer { directory.remove() }
        let path = directory.path + "/winnow.sqlite"
        let capacity = 1_000  // about six sweeps of the line keys; 21 band tables frozen, their runs merged
        var database = try WinnowDatabase(
            path: path, exactKeyVersion: ExactKey.version, recentCapacity: capacity, runTableCapacity: capacity)
        var source = KeySource(state: 5)
        var documents: [(id: String, key: NearKey)] = []
        var largest = 0
        var recentTotal = 0
        let linePool = (0..<400).map { _ in source.next() }
        var lineCounts: [UInt64: Int] = [:]
        // Commits of 1 to 40 documents (14 bands, 12 fingerprints and 3 to 6 lines each): about
        // six sweeps of the line keys' space, with slices that wrap around its end.
        for commit in 0..<120 {
            let count = [1, 3, 7, 40][commit % 4]
            let batch = (0..<count).map { index in (id: "c\(commit)-\(index)", key: source.nearKey()) }
            documents += batch
            largest = max(largest, count * 14, count * 6)
            // Three lines per document from a pool of 400 (counts that grow in both parts), and
            // three of its own.
            let lines = batch.map { _ in
                Set((0..<3).map { _ in linePool[Int(source.next() % 400)] } + (0..<3).map { _ in source.next() })
            }
            for key in lines.joined() { lineCounts[key, default: 0] += 1 }
            let input = InputRecord(name: "c\(commit)", claimName: "c\(commit)", contentHash: "h\(commit)", size: 1)
            try database.commit(
                CommitBatch(input: input, nearKeys: batch.map { ($0.key, $0.id) }, lineKeys: lines.map(Array.init)))
            if reopenEachTime && commit % 10 == 9 {
                database.waitForIndexMaintenance()
                database = try WinnowDatabase(
                    path: path, exactKeyVersion: ExactKey.version, recentCapacity: capacity, runTableCapacity: capacity)
            }
            let recent = try Self.rows("repeated_line_recent", in: database)
            recentTotal += recent
            #expect(recent <= capacity + largest, "after commit \(commit): \(recent) recent line rows")
            #expect(try Self.rows("near_band_recent", in: database) < capacity + largest)
            #expect(try Self.rows(.bands, in: database) == documents.count * 14)
            #expect(try Self.rows("near_fingerprint_recent", in: database) < capacity + count * 12)
            #expect(try Self.rows(.fingerprints, in: database) == documents.count * 12)
        }
        // A row waits for the sweep to come round to its key: half a sweep on average, so the
        // recent table holds at most about half its capacity on average (less here, as the first
        // sweep starts from empty). A sweep at half speed makes it about three quarters.
        let meanRecent = Double(recentTotal) / 120
        #expect(meanRecent > 0.1 * Double(capacity) && meanRecent < 0.6 * Double(capacity), "mean \(meanRecent)")
        let inBoth = try database.queue.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM repeated_line_recent WHERE key IN (SELECT key FROM repeated_line)") ?? 0
        }
        #expect(inBoth > 0, "no line count is split between the parts: the test would not check the sum")
        #expect(try database.documentCounts(lineKeys: linePool) == lineCounts.filter { linePool.contains($0.key) })
        database.waitForIndexMaintenance()
        for part in RunPart.all {
            let state = database.runs.part(part)
            #expect(state.frozen.isEmpty)
            // 21 tables of about 1,000 rows written out, merged four at a time.
            #expect(state.runs.count < 8, "\(part.name): \(state.runs.map(\.count))")
            #expect(state.runs.contains { $0.count >= 4 * capacity }, "\(part.name): \(state.runs.map(\.count))")
        }
        for document in documents {
            let byBand = try database.nearCandidates(bands: [document.key.bands[documents.count % 14]])
            #expect(byBand.map(\.documentID) == [document.id])
            let contained = try database.containmentCandidates(
                fingerprints: document.key.fingerprints, minimumHits: 12, limit: 8)
            #expect(contained.map(\.documentID) == [document.id], "\(document.id) lost fingerprint hits")
        }
    }

    @Test("a commit larger than the capacity moves every recent line count to the main table")
    func largeCommitMovesEverything() throws {
        let directory = try TemporaryDirectory("winnow-recent")
        defer { directory.remove() }
        let database = try WinnowDatabase(
            path: directory.path + "/winnow.sqlite", exactKeyVersion: ExactKey.version, recentCapacity: 100)
        var source = KeySource(state: 9)
        func commit(_ name: String, lines: Int) throws {
            try database.commit(
                CommitBatch(
                    input: InputRecord(name: name, claimName: name, contentHash: name, size: 1),
                    lineKeys: [(0..<lines).map { _ in source.next() }]))
        }
        try commit("s", lines: 30)
        #expect(try Self.rows("repeated_line_recent", in: database) > 0)
        try commit("l", lines: 140)
        #expect(try Self.rows("repeated_line_recent", in: database) == 0)
        #expect(try Self.rows("repeated_line", in: database) == 170)
    }
}
