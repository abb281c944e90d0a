import Foundation
import GRDB
import Testing
import WinnowCore
import WinnowText

@testable import WinnowStore

/// The band and fingerprint tables in two parts (WinnowDatabase+Sweep.swift): rows are inserted
/// into a small recent table and swept into the main one a slice of the key space per commit.
@Suite struct RecentKeysTests {
    private static func rows(_ table: String, in database: WinnowDatabase) throws -> Int {
        try database.queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    @Test(
        "the recent tables stay within their capacity, every row is in one part, every document and line count is found",
        arguments: [false, true])
    func sweepKeepsEveryRowOnce(reopenEachTime: Bool) throws {
        let directory = try TemporaryDirectory("winnow-recent")
        defer { directory.remove() }
        let path = directory.path + "/winnow.sqlite"
        let capacity = 2_560  // a step of the sweep every 10 rows: one-document commits owe their rows
        var database = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version, recentCapacity: capacity)
        var source = KeySource(state: 5)
        var documents: [(id: String, key: NearKey)] = []
        var largest = 0
        var recentTotal = 0
        let linePool = (0..<400).map { _ in source.next() }
        var lineCounts: [UInt64: Int] = [:]
        // Commits of 1 to 40 documents (14 bands and 12 fingerprints each): about twenty sweeps
        // of the key space, with slices that wrap around its end.
        for commit in 0..<120 {
            let count = [1, 3, 7, 40][commit % 4]
            let batch = (0..<count).map { index in (id: "c\(commit)-\(index)", key: source.nearKey()) }
            documents += batch
            largest = max(largest, count * 14)
            // Three lines per document from a pool of 400: counts that grow in both parts.
            let lines = batch.map { _ in Set((0..<3).map { _ in linePool[Int(source.next() % 400)] }) }
            for key in lines.joined() { lineCounts[key, default: 0] += 1 }
            let input = InputRecord(name: "c\(commit)", claimName: "c\(commit)", contentHash: "h\(commit)", size: 1)
            try database.commit(
                CommitBatch(input: input, nearKeys: batch.map { ($0.key, $0.id) }, lineKeys: lines.map(Array.init)))
            if reopenEachTime && commit % 10 == 9 {
                database = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version, recentCapacity: capacity)
            }
            let recent = try Self.rows("near_band_recent", in: database)
            recentTotal += recent
            #expect(recent <= capacity + largest, "after commit \(commit): \(recent) recent band rows")
            #expect(try Self.rows("near_band", in: database) + recent == documents.count * 14)
            let recentFingerprints = try Self.rows("near_fingerprint_recent", in: database)
            #expect(recentFingerprints <= capacity + count * 12)
            #expect(try Self.rows("near_fingerprint", in: database) + recentFingerprints == documents.count * 12)
        }
        // A row waits for the sweep to come round to its key: half a sweep on average, so the
        // recent table holds at most about half its capacity on average (less here, as the first
        // sweep starts from empty). A sweep at half speed makes it about three quarters.
        let meanRecent = Double(recentTotal) / 120
        #expect(meanRecent > 0.2 * Double(capacity) && meanRecent < 0.6 * Double(capacity), "mean \(meanRecent)")
        // A document whose fingerprints are split between the parts must count every hit.
        let split = try database.queue.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM (SELECT document FROM near_fingerprint_recent
                    WHERE document IN (SELECT document FROM near_fingerprint))
                    """) ?? 0
        }
        #expect(split > 0, "no document has fingerprints in both parts: the test would not check the union")
        let inBoth = try database.queue.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM repeated_line_recent WHERE key IN (SELECT key FROM repeated_line)") ?? 0
        }
        #expect(inBoth > 0, "no line count is split between the parts: the test would not check the sum")
        #expect(try database.documentCounts(lineKeys: linePool) == lineCounts)
        for document in documents {
            let byBand = try database.nearCandidates(bands: [document.key.bands[documents.count % 14]])
            #expect(byBand.map(\.documentID) == [document.id])
            let contained = try database.containmentCandidates(
                fingerprints: document.key.fingerprints, minimumHits: 12, limit: 8)
            #expect(contained.map(\.documentID) == [document.id], "\(document.id) lost fingerprint hits")
        }
    }

    @Test("a commit larger than the capacity moves every recent row to the main tables")
    func largeCommitMovesEverything() throws {
        let directory = try TemporaryDirectory("winnow-recent")
        defer { directory.remove() }
        let database = try WinnowDatabase(
            path: directory.path + "/winnow.sqlite", exactKeyVersion: ExactKey.version, recentCapacity: 100)
        var source = KeySource(state: 9)
        let small = (0..<3).map { (source.nearKey(), "s\($0)") }
        try database.commit(
            CommitBatch(
                input: InputRecord(name: "s", claimName: "s", contentHash: "s", size: 1), nearKeys: small))
        #expect(try Self.rows("near_band_recent", in: database) > 0)
        let large = (0..<10).map { (source.nearKey(), "l\($0)") }
        try database.commit(
            CommitBatch(
                input: InputRecord(name: "l", claimName: "l", contentHash: "l", size: 1), nearKeys: large))
        #expect(try Self.rows("near_band_recent", in: database) == 0)
        #expect(try Self.rows("near_fingerprint_recent", in: database) == 0)
        #expect(try Self.rows("near_band", in: database) == 13 * 14)
    }
}
