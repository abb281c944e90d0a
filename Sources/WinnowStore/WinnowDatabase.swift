import Foundation
import GRDB
import Synchronization
import WinnowCore

/// The daemon's durable state in one SQLite file (WAL, `synchronous=FULL`): the input ledger, the
/// output shards' committed sizes, the exact-dedup index and the counters. Opening it runs the
/// migrations. All writes that make a batch of output count happen in one transaction (`commit`).
public struct WinnowDatabase: Sendable {
    let queue: DatabaseQueue
    /// The database file.
    let path: String
    /// The exact-key normalization version the keys written and looked up belong to.
    let exactKeyVersion: Int
    /// The WAL checkpoint interval set on the connection (WinnowDatabase+Checkpoints.swift).
    let checkpointPages = CheckpointPages()
    /// What the dedup tables surely do not hold, so that most lookups skip SQLite.
    let filters = IndexFilters()
    /// The sorted runs of the band, fingerprint and line-count indexes and their maintenance
    /// (WinnowDatabase+Runs.swift).
    let runs: IndexRuns

    /// The result of `PRAGMA quick_check` run while the database was opened (`checkAtOpen`): "ok",
    /// or the problems SQLite found.
    public private(set) var checkAtOpen: String?

    /// Opens (creating if needed) the database at `path` and migrates it. Exact-dedup keys are
    /// stored and looked up under `exactKeyVersion`, so a new normalization never matches old keys.
    /// With `checkAtOpen`, also runs `PRAGMA quick_check`, on a second, read-only connection beside
    /// the building of the filters: each reads the whole index (at a million documents about 8 s
    /// for the check and 4 s for the filters), and side by side they take the longer of the two.
    public init(
        path: String, exactKeyVersion: Int, runTableCapacity: Int = defaultRunTableCapacity,
        lineCapacity: Int = defaultLineCapacity, checkAtOpen: Bool = false
    ) throws {
        self.exactKeyVersion = exactKeyVersion
        self.path = path
        runs = IndexRuns(
            directory: Self.runDirectory(forDatabase: path), capacity: max(1, runTableCapacity),
            lineCapacity: max(1, lineCapacity))
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // The dedup tables are read once per document: keep 64 MiB of their pages in SQLite's
            // own cache. The file is not mapped: a mapping's touched pages count in the process's
            // resident memory, which then grew with the index (1.2 GiB at a million documents),
            // while reading pages with a system call made no difference that could be measured
            // (Benchmarks/growth.py).
            try db.execute(sql: "PRAGMA cache_size = -65536")
            try db.execute(sql: "PRAGMA mmap_size = 0")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        // FULL: a committed transaction survives power loss, which the exactly-once protocol relies
        // on (the ledger says what the output shards hold, and the original is archived after it).
        // Set here, not in prepareDatabase: GRDB switches a queue to WAL after that runs and sets
        // synchronous=NORMAL with it, under which a commit is durable only at the next checkpoint.
        // The queue has one connection, so this covers every write.
        try queue.inDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            let level = try Int.fetchOne(db, sql: "PRAGMA synchronous")
            guard level == Self.synchronousFull else {
                throw DatabaseError(message: "PRAGMA synchronous is \(level.map(String.init) ?? "unknown"), not FULL")
            }
        }
        try Self.migrator.migrate(queue)
        let check = checkAtOpen ? try Self.startQuickCheck(path: path) : nil
        do {
            try rebuildFilters(opening: try openRuns())
        } catch {
            _ = try? check?()
            throw error
        }
        self.checkAtOpen = try check?()
        startMaintenance()
    }

    /// A read-only connection of its own to the database at `path`. It waits for locks as the
    /// writer does: opening reads the schema, and a connection closing as the last one on the file
    /// (a reopen, a test's second instance) holds it exclusively while it checkpoints the WAL.
    static func reader(path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Starts `PRAGMA quick_check` on a read-only connection of its own, on a thread of its own;
    /// the function returned waits for its result.
    private static func startQuickCheck(path: String) throws -> () throws -> String {
        let reader = try reader(path: path)
        let outcome = Mutex<Result<String, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let result = Result {
                try reader.read { try String.fetchAll($0, sql: "PRAGMA quick_check").joined(separator: "; ") }
            }
            outcome.withLock { $0 = result }
            finished.signal()
        }
        return {
            finished.wait()
            return try outcome.withLock { $0! }.get()
        }
    }

    /// Whether `error` is SQLite reporting a damaged file (SQLITE_CORRUPT, or SQLITE_NOTADB: not a
    /// database at all), or an index run that is damaged or missing.
    public static func isCorruption(_ error: any Error) -> Bool {
        if error is IndexRunError { return true }
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB
    }

    /// `PRAGMA synchronous` reads FULL as 2.
    static let synchronousFull = 2

    /// The connection's `PRAGMA synchronous` level (2 is FULL).
    func synchronousLevel() throws -> Int {
        try queue.inDatabase { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Every counter, by name.
    public func counters() throws -> [String: Int] {
        try queue.read { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, value FROM counter") {
                result[row["name"]] = row["value"]
            }
            return result
        }
    }

    /// How many kept documents the dedup index holds.
    public func indexedDocuments() throws -> Int {
        try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM exact_key WHERE similarity IS NULL") ?? 0
        }
    }

    /// The last error recorded on a failed input, if any.
    public func lastFailure() throws -> (file: String, error: String)? {
        try queue.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT name, error FROM input WHERE state = 'failed' ORDER BY updated_at DESC, id DESC LIMIT 1
                        """)
            else { return nil }
            return (row["name"], row["error"] ?? "")
        }
    }
}

extension WinnowDatabase: ExactIndexReading {
    public func keptDocument(forExactKey key: Hash128) throws -> String? {
        try exactLookup(
            key, sql: "SELECT document_id FROM exact_key WHERE version = ? AND key = ? AND similarity IS NULL"
        ) { $0.string(0) }
    }

    public func exactMatch(forKey key: Hash128) throws -> ExactMatch? {
        try exactLookup(
            key, sql: "SELECT document_id, similarity, containment FROM exact_key WHERE version = ? AND key = ?"
        ) { row in ExactMatch(documentID: row.string(0), similarity: row.double(1), containment: row.double(2)) }
    }

    /// Once per document: no wrapping read transaction, a prepared statement kept by GRDB, bound
    /// and stepped directly.
    private func exactLookup<T>(_ key: Hash128, sql: String, _ read: (RawRow) -> T) throws -> T? {
        guard filters.exact.mayContain(Self.filterKey(key)) else { return nil }
        return try queue.inDatabase { db in
            let statement = try RawStatement(db, sql)
            statement.bind(1, Int64(exactKeyVersion))
            key.bytes.withUnsafeBytes { statement.bind(2, bytes: $0) }
            var result: T?
            try statement.run { row in result = read(row) }
            return result
        }
    }
}

extension WinnowDatabase {
    /// Whether `error` is SQLite saying its file system is full (`SQLITE_FULL`): the transaction
    /// was rolled back and may be tried again once space is freed.
    public static func isOutOfSpace(_ error: any Error) -> Bool {
        (error as? DatabaseError)?.resultCode == .SQLITE_FULL
    }
}
