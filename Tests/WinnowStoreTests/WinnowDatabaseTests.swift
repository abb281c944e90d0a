import Foundation
import GRDB
import Testing
import WinnowText

@testable import WinnowStore

@Suite struct WinnowDatabaseTests {
    /// A commit must survive power loss: with GRDB's WAL default (synchronous=NORMAL) the ledger
    /// went back to its last checkpoint on a power cut while the archived originals and fsynced
    /// output stayed, and recovery then removed shards it no longer knew (scripts/torture/power_loss.py).
    @Test("the ledger connection commits with synchronous=FULL, on a new database and on reopening it")
    func commitsAreDurable() throws {
        let directory = try TemporaryDirectory("winnow-store")
        defer { directory.remove() }
        let path = directory.path + "/winnow.sqlite"
        let created = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version)
        #expect(try created.synchronousLevel() == WinnowDatabase.synchronousFull)
        let reopened = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version)
        #expect(try reopened.synchronousLevel() == WinnowDatabase.synchronousFull)
    }

    /// A database from before signature versions were recorded holds version 1 if it holds any
    /// signature; one without signatures takes the version it is first given, and keeps it.
    @Test("the near index's signature version: 1 for an older index, the first one adopted for a new one")
    func nearSignatureVersion() throws {
        let directory = try TemporaryDirectory("winnow-store")
        defer { directory.remove() }
        for holdsSignatures in [true, false] {
            let path = directory.path + "/old-\(holdsSignatures).sqlite"
            do {
                let queue = try DatabaseQueue(path: path)
                try WinnowDatabase.migrator.migrate(queue, upTo: "v12_line_count_runs")
                if holdsSignatures {
                    try queue.write { db in
                        try db.execute(
                            sql:
                                "INSERT INTO near_document (id, document_id, signature) VALUES (1, 'old', zeroblob(448))"
                        )
                    }
                }
            }
            let database = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version)
            #expect(try database.nearSignatureVersion() == (holdsSignatures ? 1 : nil))
            #expect(try database.adoptNearSignatureVersion(2) == (holdsSignatures ? 1 : 2))
            #expect(try database.adoptNearSignatureVersion(3) == (holdsSignatures ? 1 : 2))
            let reopened = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version)
            #expect(try reopened.nearSignatureVersion() == (holdsSignatures ? 1 : 2))
        }
    }

    /// Migration v14 rebuilds the band and fingerprint recent tables without their foreign key,
    /// keeping every row, and the frozen tables' schema has none either; migration v15 logs their
    /// rows, which the database then holds as its recent rows.
    @Test("the recent index tables lose their foreign key and keep their rows, then become the log")
    func recentTablesWithoutForeignKeys() throws {
        let directory = try TemporaryDirectory("winnow-store")
        defer { directory.remove() }
        let path = directory.path + "/winnow.sqlite"
        let rows = (1...40).map { (key: Int64.random(in: .min ... .max), document: Int64($0 % 7 + 1)) }
        do {
            let queue = try DatabaseQueue(path: path)
            try WinnowDatabase.migrator.migrate(queue, upTo: "v13_index_settings")
            try queue.write { db in
                for id in 1...7 {
                    try db.execute(
                        sql: "INSERT INTO near_document (id, document_id, signature) VALUES (?, ?, zeroblob(448))",
                        arguments: [id, "d\(id)"])
                }
                for row in rows {
                    try db.execute(
                        sql: "INSERT INTO near_band_recent (band_key, document) VALUES (?, ?)",
                        arguments: [row.key, row.document])
                    try db.execute(
                        sql: "INSERT INTO near_fingerprint_recent (key, document) VALUES (?, ?)",
                        arguments: [row.key >> 32, row.document])
                }
                #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_list(near_band_recent)").count == 1)
            }
        }
        let fingerprints = Set(rows.map { "\($0.key >> 32):\($0.document)" })
        do {
            let queue = try DatabaseQueue(path: path)
            try WinnowDatabase.migrator.migrate(queue, upTo: "v14_recent_index_without_foreign_keys")
            try queue.read { db in
                for table in ["near_band_recent", "near_fingerprint_recent"] {
                    #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_list(\(table))").isEmpty, "\(table)")
                }
                let bands = try Row.fetchAll(db, sql: "SELECT band_key, document FROM near_band_recent").map {
                    (key: $0[0] as Int64, document: $0[1] as Int64)
                }
                #expect(bands.sorted { $0.key < $1.key }.map(\.key) == rows.map(\.key).sorted())
                #expect(Set(bands.map { "\($0.key):\($0.document)" }) == Set(rows.map { "\($0.key):\($0.document)" }))
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM near_fingerprint_recent") == fingerprints.count)
            }
        }
        let database = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version)
        let logged = try RecentKeysTests.loggedRows(.bands, in: database)
        #expect(Set(logged.map { "\($0.key):\($0.document)" }) == Set(rows.map { "\($0.key):\($0.document)" }))
        #expect(database.runs.part(.bands).recent.count == rows.count)
        #expect(database.runs.part(.fingerprints).recent.count == fingerprints.count)
        let tables = try database.queue.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name LIKE '%_recent'")
        }
        #expect(tables == 0)
        #expect(!RunPart.bands.createSQL("t").contains("REFERENCES"))
    }
}
