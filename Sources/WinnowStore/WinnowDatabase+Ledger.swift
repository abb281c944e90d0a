import Foundation
import GRDB
import WinnowCore

/// Everything one commit makes durable, in one transaction: the input's progress, the shards'
/// committed sizes, the dedup keys of the kept documents and the counter increments.
public struct CommitBatch: Sendable {
    public var input: InputRecord
    /// Inputs finished earlier whose documents are in this batch too, each with where its lines
    /// went (a group commit: several small files, one fsync and one transaction). Saved before `input`.
    public var earlier: [(input: InputRecord, extents: [RecordExtent])]
    public var shards: [ShardState]
    /// Normal forms of the kept documents, and of the near duplicates rejected (with their match).
    public var exactKeys: [(key: Hash128, match: ExactMatch)]
    public var nearKeys: [(key: NearKey, documentID: String)]
    /// Line keys of the kept documents, one list per document.
    public var lineKeys: [[UInt64]]
    /// Kept records that rejected documents of this batch duplicate (`near` false: exact copies).
    public var duplicates: [(keptID: String, copyID: String, near: Bool)]
    /// Where this batch's lines went: byte ranges of shards, for finding a record by id.
    public var extents: [RecordExtent]
    public var counters: [String: Int]
    /// URLs a `.urls` input adds to the fetch queue (normalized, with their origins).
    public var enqueue: [(url: String, origin: String)]
    /// The fetch whose document this batch holds, marked done with it.
    public var fetchCompletion: FetchCompletion?

    public init(
        input: InputRecord, earlier: [(input: InputRecord, extents: [RecordExtent])] = [],
        shards: [ShardState] = [], exactKeys: [(key: Hash128, match: ExactMatch)] = [],
        nearKeys: [(key: NearKey, documentID: String)] = [], lineKeys: [[UInt64]] = [],
        duplicates: [(keptID: String, copyID: String, near: Bool)] = [], counters: [String: Int] = [:],
        enqueue: [(url: String, origin: String)] = [], fetchCompletion: FetchCompletion? = nil,
        extents: [RecordExtent] = []
    ) {
        self.extents = extents
        self.enqueue = enqueue
        self.fetchCompletion = fetchCompletion
        self.duplicates = duplicates
        self.input = input
        self.earlier = earlier
        self.shards = shards
        self.exactKeys = exactKeys
        self.nearKeys = nearKeys
        self.lineKeys = lineKeys
        self.counters = counters
    }
}

extension WinnowDatabase {
    /// Every ledger row for raw content with this hash. Asked once per input, so on the
    /// connection as it is: one statement needs no transaction, and `read`'s read-only mode and
    /// savepoint would compile four more statements each time.
    public func inputs(withContentHash hash: String) throws -> [InputRecord] {
        try queue.inDatabase { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM input WHERE content_hash = ? ORDER BY id"), arguments: [hash]
            )
            .map(Self.inputRecord)
        }
    }

    /// The committed state of every shard.
    public func shards() throws -> [ShardState] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM shard ORDER BY stream, sequence").map { row in
                ShardState(
                    name: row["name"], stream: row["stream"], sequence: row["sequence"],
                    committedBytes: row["committed_bytes"], sealed: row["sealed"])
            }
        }
    }

    /// Commits a batch atomically and returns the row id of its (last) input.
    @discardableResult
    public func commit(_ batch: CommitBatch) throws -> Int64 {
        try adjustCheckpointInterval()
        let id = try write(batch)
        try addToFilters(batch)
        return id
    }

    private func write(_ batch: CommitBatch) throws -> Int64 {
        // The transaction is run by hand so that the index rows it logs reach the recent rows in
        // memory (and what it freezes is published) after it commits and before any lookup (the
        // queue runs one closure at a time).
        try queue.inDatabase { db in
            var id: Int64 = 0
            var added: [RunPart: [IndexEntry]] = [:]
            var frozen: [RunPart: Int] = [:]
            try db.inTransaction {
                id = try write(batch, added: &added, frozen: &frozen, in: db)
                return .commit
            }
            published(added: added, frozen: frozen)
            if !frozen.isEmpty { spillFrozenBacklog(in: db) }
            return id
        }
    }

    private func write(
        _ batch: CommitBatch, added: inout [RunPart: [IndexEntry]], frozen: inout [RunPart: Int],
        in db: Database
    ) throws -> Int64 {
        for shard in batch.shards {
            try db.cachedStatement(
                sql: """
                    INSERT INTO shard (name, stream, sequence, committed_bytes, sealed) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET committed_bytes = excluded.committed_bytes, sealed = excluded.sealed
                    """
            ).execute(arguments: [shard.name, shard.stream, shard.sequence, shard.committedBytes, shard.sealed])
        }
        let insertKey = try RawStatement(
            db,
            """
            INSERT OR IGNORE INTO exact_key (version, key, document_id, similarity, containment)
            VALUES (?, ?, ?, ?, ?)
            """)
        for entry in batch.exactKeys {
            insertKey.bind(1, Int64(exactKeyVersion))
            entry.key.bytes.withUnsafeBytes { insertKey.bind(2, bytes: $0) }
            insertKey.bind(3, entry.match.documentID)
            insertKey.bind(4, entry.match.similarity)
            insertKey.bind(5, entry.match.containment)
            try insertKey.run()
        }
        if !batch.nearKeys.isEmpty {
            let insertDocument = try RawStatement(
                db, "INSERT INTO near_document (document_id, signature, sample, shingles) VALUES (?, ?, ?, ?)")
            var bands: [IndexEntry] = []
            var fingerprints: [IndexEntry] = []
            for entry in batch.nearKeys {
                insertDocument.bind(1, entry.documentID)
                insertDocument.bind(2, littleEndian: entry.key.signature)
                insertDocument.bind(3, littleEndian: entry.key.sample)
                insertDocument.bind(4, Int64(entry.key.shingleCount))
                try insertDocument.run()
                let row = db.lastInsertedRowID
                bands += entry.key.bands.map { IndexEntry(key: Int64(bitPattern: $0), document: row) }
                fingerprints += entry.key.fingerprints.map { IndexEntry(key: Int64($0), document: row) }
            }
            for (part, rows) in [(RunPart.bands, bands), (.fingerprints, fingerprints)] {
                frozen[part] = try log(rows, of: part, in: db)
                added[part] = rows
            }
        }
        let lines = try countLines(batch.lineKeys, in: db)
        added[.lines] = lines.added
        frozen[.lines] = lines.frozen
        let countDuplicate = try db.cachedStatement(
            sql: """
                INSERT INTO duplicate_count (document_id, exact, near) VALUES (?, ?, ?)
                ON CONFLICT(document_id) DO UPDATE SET exact = exact + excluded.exact, near = near + excluded.near
                """)
        let recordCopy = try db.cachedStatement(
            sql: "INSERT INTO duplicate_copy (kept_id, copy_id, near) VALUES (?, ?, ?)")
        for duplicate in batch.duplicates {
            try countDuplicate.execute(arguments: [
                duplicate.keptID, duplicate.near ? 0 : 1, duplicate.near ? 1 : 0,
            ])
            try recordCopy.execute(arguments: [duplicate.keptID, duplicate.copyID, duplicate.near])
        }
        if !batch.enqueue.isEmpty { _ = try Self.enqueue(batch.enqueue, now: Timestamp.unixNow(), in: db) }
        if let completion = batch.fetchCompletion { try Self.complete(completion, in: db) }
        for (name, delta) in batch.counters where delta != 0 {
            try db.cachedStatement(
                sql: """
                    INSERT INTO counter (name, value) VALUES (?, ?)
                    ON CONFLICT(name) DO UPDATE SET value = value + excluded.value
                    """
            ).execute(arguments: [name, delta])
        }
        var id: Int64 = 0
        for (input, extents) in batch.earlier + [(batch.input, batch.extents)] {
            id = try Self.save(input, in: db)
            for extent in extents where extent.end > extent.start {
                try db.cachedStatement(
                    sql: "INSERT INTO record_extent (input_id, shard, start, end) VALUES (?, ?, ?, ?)"
                ).execute(arguments: [id, extent.shard, extent.start, extent.end])
            }
        }
        return id
    }

    private static func save(_ input: InputRecord, in db: Database) throws -> Int64 {
        let arguments: StatementArguments = [
            input.name, input.claimName, input.contentHash, input.size, input.state.rawValue, input.unitsDone,
            input.kept, input.dropped, input.duplicateOf, input.error, input.failedPath,
        ]
        if let id = input.id {
            try db.cachedStatement(
                sql: """
                    UPDATE input SET name = ?, claim_name = ?, content_hash = ?, size = ?, state = ?, units_done = ?,
                        kept = ?, dropped = ?, duplicate_of = ?, error = ?, failed_path = ?,
                        updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                    WHERE id = ?
                    """
            ).execute(arguments: arguments + [id])
            return id
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO input (name, claim_name, content_hash, size, state, units_done, kept, dropped, duplicate_of,
                    error, failed_path, claimed_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                    strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                """
        ).execute(arguments: arguments)
        return db.lastInsertedRowID
    }

    private static func inputRecord(_ row: Row) -> InputRecord {
        InputRecord(
            id: row["id"], name: row["name"], claimName: row["claim_name"], contentHash: row["content_hash"],
            size: row["size"], state: InputRecord.State(rawValue: row["state"]) ?? .failed,
            unitsDone: row["units_done"], kept: row["kept"], dropped: row["dropped"],
            duplicateOf: row["duplicate_of"], error: row["error"], failedPath: row["failed_path"])
    }
}

/// A failed input as `winnowctl failed` lists it.
public struct FailedInput: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var error: String
    public var size: Int
    public var failedAt: String
    public var path: String
}

extension WinnowDatabase {
    /// Inputs set aside in failed/ and not put back, newest first: those with `ids` (all with
    /// `nil`), at most `limit`.
    public func failedInputs(ids: [Int64]? = nil, limit: Int = Int.max) throws -> [FailedInput] {
        if ids?.isEmpty == true { return [] }
        let filter = ids.map { " AND id IN (" + $0.map { _ in "?" }.joined(separator: ", ") + ")" } ?? ""
        var arguments = StatementArguments(ids ?? [])
        arguments += [limit]
        return try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, name, error, size, updated_at, failed_path FROM input
                    WHERE state = 'failed' AND failed_path IS NOT NULL\(filter) ORDER BY updated_at DESC, id DESC LIMIT ?
                    """, arguments: arguments
            ).map { row in
                FailedInput(
                    id: row["id"], name: row["name"], error: row["error"] ?? "", size: row["size"],
                    failedAt: row["updated_at"], path: row["failed_path"])
            }
        }
    }

    /// Records that a failed input was put back in the inbox: it is no longer listed as failed
    /// (its row stays `failed`, so processing it again resumes after what it committed).
    public func markPutBack(_ id: Int64) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE input SET failed_path = NULL WHERE id = ?", arguments: [id])
        }
    }
}

extension WinnowDatabase {
    /// Records one more resume of the claimed file `claimName` and returns how many resumes in a
    /// row started from the same commit point (`unitsDone` documents committed): 1 after progress.
    public func recordResume(claimName: String, unitsDone: Int) throws -> Int {
        try queue.write { db in
            let previous = try Row.fetchOne(
                db, sql: "SELECT units_done, starts FROM resume_attempt WHERE claim_name = ?", arguments: [claimName])
            var starts = 1
            if let previous, previous["units_done"] as Int == unitsDone { starts = previous["starts"] as Int + 1 }
            try db.execute(
                sql: "INSERT OR REPLACE INTO resume_attempt (claim_name, units_done, starts) VALUES (?, ?, ?)",
                arguments: [claimName, unitsDone, starts])
            return starts
        }
    }

    /// Forgets the resumes of claims that are no longer in claimed/.
    public func forgetResumes(except claimNames: Set<String>) throws {
        try queue.write { db in
            let known = try String.fetchAll(db, sql: "SELECT claim_name FROM resume_attempt")
            for name in known where !claimNames.contains(name) {
                try db.execute(sql: "DELETE FROM resume_attempt WHERE claim_name = ?", arguments: [name])
            }
        }
    }

    /// The ledger entry of the claim `claimName`, if any of its documents were committed.
    public func input(claimName: String) throws -> InputRecord? {
        try queue.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM input WHERE claim_name = ? ORDER BY id DESC", arguments: [claimName]
            )
            .map(Self.inputRecord)
        }
    }
}

extension WinnowDatabase {
    /// The kept documents with the most rejected copies: `(id, exact copies, near copies)`.
    public func duplicateClusters(limit: Int) throws -> [(id: String, exact: Int, near: Int)] {
        try queue.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT document_id, exact, near FROM duplicate_count ORDER BY exact + near DESC, document_id LIMIT ?",
                arguments: [limit]
            ).map { ($0["document_id"], $0["exact"], $0["near"]) }
        }
    }
}

/// A byte range of an output shard that one commit of one input wrote.
public struct RecordExtent: Sendable, Equatable {
    public var shard: String
    public var start: Int
    public var end: Int

    public init(shard: String, start: Int, end: Int) {
        self.shard = shard
        self.start = start
        self.end = end
    }
}

extension WinnowDatabase {
    /// The shard ranges written for the inputs whose content hash is `hash` (where a record whose
    /// id starts with that hash is), in commit order.
    public func extents(ofContentHash hash: String) throws -> [RecordExtent] {
        try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT shard, start, end FROM record_extent JOIN input ON input.id = record_extent.input_id
                    WHERE input.content_hash IN (?, ?) ORDER BY record_extent.rowid
                    """, arguments: [hash, "fetch:" + hash]
            ).map { RecordExtent(shard: $0["shard"], start: $0["start"], end: $0["end"]) }
        }
    }

    /// The rejected copies of the kept record `id`: their ids and whether each is a near copy.
    public func copies(of id: String) throws -> [(id: String, near: Bool)] {
        try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT copy_id, near FROM duplicate_copy WHERE kept_id = ? ORDER BY rowid", arguments: [id]
            ).map { ($0["copy_id"], $0["near"]) }
        }
    }
}
