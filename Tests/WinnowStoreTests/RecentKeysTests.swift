import Foundation
import GRDB
import Testing
import WinnowCore
import WinnowText

@testable import WinnowStore

/// The band, fingerprint and line-count indexes as the commits see them (WinnowDatabase+Runs.swift):
/// recent tables that freeze at their capacity, written out as runs and merged, with every row in
/// exactly one part and every count the sum of its parts. IndexRunTests has the runs themselves.
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
    func everyRowInOnePart(reopenEachTime: Bool) throws {
        let directory = try TemporaryDirectory("winnow-recent")
        defer { directory.remove() }
        let path = directory.path + "/winnow.sqlite"
        let capacity = 1_000  // 21 band tables and about 9 line tables frozen, their runs merged
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
            #expect(try Self.rows("repeated_line_recent", in: database) < capacity + largest)
            #expect(try Self.rows("near_band_recent", in: database) < capacity + largest)
            #expect(try Self.rows(.bands, in: database) == documents.count * 14)
            #expect(try Self.rows("near_fingerprint_recent", in: database) < capacity + count * 12)
            #expect(try Self.rows(.fingerprints, in: database) == documents.count * 12)
        }
        #expect(try database.documentCounts(lineKeys: Array(lineCounts.keys)) == lineCounts)
        database.waitForIndexMaintenance()
        #expect(try database.documentCounts(lineKeys: Array(lineCounts.keys)) == lineCounts)
        for part in RunPart.all {
            let state = database.runs.part(part)
            #expect(state.frozen.isEmpty)
            // Tables of about 1,000 rows written out, merged four at a time.
            #expect(state.runs.count < 8, "\(part.name): \(state.runs.map(\.count))")
            #expect(state.runs.contains { $0.count >= (part.sums ? 2 : 4) * capacity }, "\(state.runs.map(\.count))")
        }
        try IndexRunTests.expectFound(documents.map { ($0.key, $0.id) }, in: database) {
            [$0.bands[documents.count % 14]]
        }
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
}
