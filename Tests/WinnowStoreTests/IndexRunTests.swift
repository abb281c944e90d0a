import Foundation
import GRDB
import Testing
import WinnowCore
import WinnowText

@testable import WinnowStore

/// Sorted run files and the log-structured band and fingerprint indexes (IndexRun.swift,
/// WinnowDatabase+Runs.swift).
@Suite struct IndexRunTests {
    /// Rows with many repeated keys, so that a key's rows cross block boundaries.
    private static func rows(_ count: Int, keys: Int, seed: UInt64) -> [IndexEntry] {
        var source = KeySource(state: seed)
        let pool = (0..<keys).map { _ in Int64(bitPattern: source.next()) }
        return Set(
            (0..<count).map { document in
                IndexEntry(key: pool[Int(source.next() % UInt64(keys))], document: Int64(document))
            }
        ).sorted()
    }

    private static func write(_ rows: [IndexEntry], in directory: String, name: String) throws -> IndexRun {
        var writer = try IndexRunWriter(directory: directory, name: name)
        for row in rows { try writer.append(row) }
        return try writer.finish()
    }

    @Test("a run finds every row of a key, across blocks, and nothing else; a merge keeps every row in order")
    func lookupAndMerge() throws {
        let directory = try TemporaryDirectory("winnow-run")
        defer { directory.remove() }
        // 40 keys over 5,000 rows: about 125 rows a key, so most keys span two or three blocks.
        let first = Self.rows(5_000, keys: 40, seed: 1)
        let second = Self.rows(3_000, keys: 900, seed: 2).map {
            IndexEntry(key: $0.key, document: $0.document + 10_000)
        }
        let third = Self.rows(1, keys: 1, seed: 3)
        let runs = try [("a.run", first), ("b.run", second), ("c.run", third)].map {
            try Self.write($0.1, in: directory.path, name: $0.0)
        }
        var buffer: [UInt8] = []
        for (run, rows) in zip(runs, [first, second, third]) {
            #expect(run.count == rows.count)
            let byKey = Dictionary(grouping: rows, by: \.key)
            for (key, expected) in byKey {
                var found: [Int64] = []
                try run.documents(forKey: key, buffer: &buffer) { found.append($0) }
                #expect(found == expected.map(\.document), "key \(key)")
            }
            for missing in [Int64.min, Int64.max, 0, (rows.first?.key ?? 0) &+ 1] where byKey[missing] == nil {
                var found: [Int64] = []
                try run.documents(forKey: missing, buffer: &buffer) { found.append($0) }
                #expect(found.isEmpty)
            }
            // Opening reads and checks the whole file and gives every row in order.
            var read: [IndexEntry] = []
            let reopened = try IndexRun.open(path: run.path, name: run.name) { read.append($0) }
            #expect(read == rows)
            #expect(reopened.checksum == run.checksum)
        }
        let merged = try IndexRun.merge(runs, directory: directory.path, name: "m.run")
        var all: [IndexEntry] = []
        var reader = merged.reader()
        while let entry = try reader.next() { all.append(entry) }
        #expect(all == (first + second + third).sorted())
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/m.run.tmp"))
    }

    @Test("a writer refuses rows out of order, and a damaged run file does not open")
    func orderAndDamage() throws {
        let directory = try TemporaryDirectory("winnow-run")
        defer { directory.remove() }
        var writer = try IndexRunWriter(directory: directory.path, name: "x.run")
        try writer.append(IndexEntry(key: 5, document: 1))
        #expect(throws: IndexRunError.self) { try writer.append(IndexEntry(key: 4, document: 1)) }
        writer.abandon()
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/x.run.tmp"))

        let run = try Self.write(Self.rows(2_000, keys: 100, seed: 4), in: directory.path, name: "y.run")
        try Self.damage(run.path, at: IndexRun.headerSize + 16 * 700 + 9, with: [0x5A])
        #expect(throws: IndexRunError.self) { try IndexRun.open(path: run.path, name: run.name) }
        try Data(repeating: 0, count: 10).write(to: URL(fileURLWithPath: directory.path + "/z.run"))
        #expect(throws: IndexRunError.self) { try IndexRun.open(path: directory.path + "/z.run", name: "z.run") }
    }

    /// Commits `count` documents of fresh keys; returns them.
    private static func commit(
        _ count: Int, to database: WinnowDatabase, source: inout KeySource, name: String
    ) throws -> [(key: NearKey, id: String)] {
        let documents = (0..<count).map { (key: source.nearKey(), id: "\(name)-\($0)") }
        try database.commit(
            CommitBatch(
                input: InputRecord(name: name, claimName: name, contentHash: name, size: 1),
                nearKeys: documents.map { ($0.key, $0.id) }))
        return documents
    }

    /// A database in `directory` with `commits` commits of `perCommit` documents, its index
    /// maintenance done.
    private static func filled(
        _ directory: TemporaryDirectory, capacity: Int, seed: UInt64, commits: Int, perCommit: Int
    ) throws -> (database: WinnowDatabase, path: String, documents: [(key: NearKey, id: String)], source: KeySource) {
        let path = directory.path + "/winnow.sqlite"
        var source = KeySource(state: seed)
        let database = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version, runTableCapacity: capacity)
        var documents: [(key: NearKey, id: String)] = []
        for commit in 0..<commits {
            documents += try Self.commit(perCommit, to: database, source: &source, name: "c\(commit)")
        }
        database.waitForIndexMaintenance()
        return (database, path, documents, source)
    }

    /// Overwrites bytes of a file in place.
    private static func damage(_ path: String, at offset: Int, with bytes: [UInt8]) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: bytes)
        try handle.close()
    }

    /// Each document is found, and only it, by its bands (all of them, or the ones `bands`
    /// picks) and by containment of its twelve fingerprints.
    static func expectFound(
        _ documents: [(key: NearKey, id: String)], in database: WinnowDatabase,
        bands: (NearKey) -> [UInt64] = \.bands
    ) throws {
        for document in documents {
            #expect(try database.nearCandidates(bands: bands(document.key)).map(\.documentID) == [document.id])
            let contained = try database.containmentCandidates(
                fingerprints: document.key.fingerprints, minimumHits: 12, limit: 8)
            #expect(contained.map(\.documentID) == [document.id], "\(document.id) lost fingerprint hits")
        }
    }

    /// Opening the database at `path` fails as a damaged state, naming `run`.
    private static func expectCorrupt(_ path: String, naming run: String, _ what: String) {
        do {
            _ = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version, runTableCapacity: 100)
            Issue.record("\(what) opened")
        } catch {
            #expect(WinnowDatabase.isCorruption(error))
            #expect("\(error)".contains(run), "\(error)")
        }
    }

    @Test(
        "what a crash leaves is put right at open: stray files removed, a frozen table written out",
        .timeLimit(.minutes(1)))
    func crashLeftovers() throws {
        let directory = try TemporaryDirectory("winnow-runs")
        defer { directory.remove() }
        var (database, path, documents, source) = try Self.filled(
            directory, capacity: 200, seed: 11, commits: 6, perCommit: 20)
        let runDirectory = WinnowDatabase.runDirectory(forDatabase: path)
        let listed = Set(try FileManager.default.contentsOfDirectory(atPath: runDirectory))
        #expect(!listed.isEmpty)
        // A run written but not yet listed, and one being written, when the process died.
        for stray in ["bands-900.run", "fingerprints-901.run.tmp"] {
            try Data(repeating: 1, count: 64).write(to: URL(fileURLWithPath: runDirectory + "/" + stray))
        }
        // A recent table frozen by a commit of an earlier version (before version 15 of the
        // schema) whose run was never written: the logged band rows moved into one.
        documents += try Self.commit(5, to: database, source: &source, name: "late")
        database.waitForIndexMaintenance()
        let logged = try RecentKeysTests.loggedRows(.bands, in: database)
        #expect(!logged.isEmpty)
        try database.queue.inDatabase { db in
            try db.execute(sql: RunPart.bands.createSQL("near_band_frozen_950"))
            for row in logged {
                try db.execute(
                    sql: "INSERT INTO near_band_frozen_950 (band_key, document) VALUES (?, ?)",
                    arguments: [row.key, row.document])
            }
            try db.execute(sql: "DELETE FROM index_log WHERE part = 'bands'")
        }
        database = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version, runTableCapacity: 200)
        try Self.expectFound(documents, in: database)
        database.waitForIndexMaintenance()
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: runDirectory)).isDisjoint(with: [
                "bands-900.run", "fingerprints-901.run.tmp",
            ]))
        #expect(database.runs.part(.bands).frozen.isEmpty)
        #expect(database.runs.part(.bands).recent.isEmpty)
        #expect(try RecentKeysTests.rows(.bands, in: database) == documents.count * 14)
        try Self.expectFound(documents, in: database)
    }

    @Test("a damaged or missing run is reported as a damaged state at open")
    func damagedRunAtOpen() throws {
        let directory = try TemporaryDirectory("winnow-runs")
        defer { directory.remove() }
        let (database, path, _, _) = try Self.filled(directory, capacity: 100, seed: 12, commits: 1, perCommit: 10)
        let run = try #require(database.runs.part(.fingerprints).runs.first)
        try Self.damage(run.path, at: IndexRun.headerSize + 3, with: [0xFF, 0xEE])
        Self.expectCorrupt(path, naming: run.name, "a damaged run")
        try FileManager.default.removeItem(atPath: run.path)
        Self.expectCorrupt(path, naming: run.name, "a missing run")
    }

    @Test(
        "a database whose bands and fingerprints were in main tables keeps every row in runs", .timeLimit(.minutes(1)))
    func migratesMainTables() throws {
        let directory = try TemporaryDirectory("winnow-runs")
        defer { directory.remove() }
        let path = directory.path + "/winnow.sqlite"
        var source = KeySource(state: 13)
        let documents = (0..<50).map { (key: source.nearKey(), id: "old-\($0)") }
        // The schema before the runs, with 30 documents' rows in the main tables and 20 in the recent ones.
        do {
            let queue = try DatabaseQueue(path: path)
            try WinnowDatabase.migrator.migrate(queue, upTo: "v10_recent_index_keys")
            try queue.write { db in
                for (index, document) in documents.enumerated() {
                    try db.execute(
                        sql:
                            "INSERT INTO near_document (id, document_id, signature, sample, shingles) VALUES (?, ?, ?, ?, ?)",
                        arguments: [
                            index + 1, document.id,
                            Data(document.key.signature.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }),
                            Data(document.key.sample.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }),
                            document.key.shingleCount,
                        ])
                    let suffix = index < 30 ? "" : "_recent"
                    for band in document.key.bands {
                        try db.execute(
                            sql: "INSERT OR IGNORE INTO near_band\(suffix) (band_key, document) VALUES (?, ?)",
                            arguments: [Int64(bitPattern: band), index + 1])
                    }
                    for fingerprint in document.key.fingerprints {
                        try db.execute(
                            sql: "INSERT OR IGNORE INTO near_fingerprint\(suffix) (key, document) VALUES (?, ?)",
                            arguments: [Int64(fingerprint), index + 1])
                    }
                }
            }
        }
        let database = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version)
        try Self.expectFound(documents, in: database)
        database.waitForIndexMaintenance()
        #expect(database.runs.part(.bands).frozen.isEmpty && database.runs.part(.fingerprints).frozen.isEmpty)
        #expect(database.runs.part(.bands).runs.map(\.count) == [30 * 14])
        #expect(database.runs.part(.fingerprints).runs.map(\.count) == [30 * 12])
        // The recent rows of version 14's tables, logged by migration 15 and read back.
        #expect(database.runs.part(.bands).recent.count == 20 * 14)
        #expect(try RecentKeysTests.loggedRows(.bands, in: database).count == 20 * 14)
        try Self.expectFound(documents, in: database)
    }

    @Test(
        "sorting rows by key sorts them as the comparison sort does: negative keys, runs of one key, any length",
        arguments: [0, 1, 64, 65, 1_000, 30_000])
    func sortByKeyMatchesSort(count: Int) {
        var source = KeySource(state: UInt64(count) + 7)
        // A third of the keys drawn from a few (runs of one key, some long), the rest anywhere.
        let few: [Int64] = [0, -1, .min, .max, 42]
        var entries = (0..<count).map { _ in
            let draw = source.next()
            let key = draw % 3 == 0 ? few[Int(draw >> 8 % 5)] : Int64(bitPattern: source.next())
            return IndexEntry(key: key, document: Int64(bitPattern: source.next()) >> 20)
        }
        let expected = entries.sorted()
        entries.sortByKey()
        #expect(entries == expected)
    }
}
