import Foundation
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
}
