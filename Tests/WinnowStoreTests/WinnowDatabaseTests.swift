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
}
