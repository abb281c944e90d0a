import GRDB
import WinnowCore

/// One URL of the persistent fetch queue.
public struct FetchQueueEntry: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Waiting for `nextAttemptAt`.
        case queued
        /// Being fetched, or fetched and waiting to be committed; back to `queued` after a crash.
        case fetching
        /// Fetched and committed (or answered 304).
        case done
        /// Given up on, with `reason` and `lastError`; `winnowctl retry` puts it back.
        case failed
    }

    public var id: Int64
    public var url: String
    /// `scheme://host[:port]`, what per-host limits and robots.txt apply to.
    public var origin: String
    public var state: State
    public var attempts: Int
    /// Unix time, seconds.
    public var nextAttemptAt: Double
    public var lastStatus: Int?
    public var lastError: String?
    /// A short code for a failure (`http_404`, `blocked_address`, `robots_denied`, `too_large`…).
    public var reason: String?
    public var etag: String?
    public var lastModified: String?
    public var finalURL: String?
    /// The record the last fetch produced.
    public var recordID: String?
    public var updatedAt: String
}

/// What enqueueing one URL did.
public enum EnqueueOutcome: String, Sendable, Equatable {
    /// New in the queue.
    case queued
    /// Fetched before: queued again, to be asked conditionally (ETag / Last-Modified).
    case refetch
    /// Failed before: queued again with its attempts reset.
    case retried
    /// Already waiting or being fetched.
    case alreadyQueued = "already_queued"
}

/// How a fetch that produced a document ends, committed with that document's batch.
public struct FetchCompletion: Sendable, Equatable {
    public var id: Int64
    public var status: Int
    public var finalURL: String
    public var etag: String?
    public var lastModified: String?
    public var recordID: String?

    public init(id: Int64, status: Int, finalURL: String, etag: String?, lastModified: String?, recordID: String?) {
        self.id = id
        self.status = status
        self.finalURL = finalURL
        self.etag = etag
        self.lastModified = lastModified
        self.recordID = recordID
    }
}

extension WinnowDatabase {
    /// Adds normalized URLs (`FetchURL.description`, with their origins) to the queue, in one transaction.
    public func enqueue(_ urls: [(url: String, origin: String)], now: Double) throws -> [EnqueueOutcome] {
        try queue.write { db in try Self.enqueue(urls, now: now, in: db) }
    }

    static func enqueue(_ urls: [(url: String, origin: String)], now: Double, in db: Database) throws
        -> [EnqueueOutcome]
    {
        let find = try db.cachedStatement(sql: "SELECT id, state FROM fetch_queue WHERE url = ?")
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO fetch_queue (url, origin, state, attempts, next_attempt_at, updated_at)
                VALUES (?, ?, 'queued', 0, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                """)
        let requeue = try db.cachedStatement(
            sql: """
                UPDATE fetch_queue SET state = 'queued', next_attempt_at = ?, attempts = ?,
                    updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?
                """)
        return try urls.map { entry in
            guard let row = try Row.fetchOne(find, arguments: [entry.url]) else {
                try insert.execute(arguments: [entry.url, entry.origin, now])
                return .queued
            }
            let id: Int64 = row[0]
            switch FetchQueueEntry.State(rawValue: row[1]) {
            case .done:
                try requeue.execute(arguments: [now, 0, id])
                return .refetch
            case .failed:
                try requeue.execute(arguments: [now, 0, id])
                return .retried
            default:
                return .alreadyQueued
            }
        }
    }

    /// Queued URLs due by `now`, oldest first.
    public func dueFetches(now: Double, limit: Int) throws -> [FetchQueueEntry] {
        try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM fetch_queue WHERE state = 'queued' AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, id LIMIT ?
                    """, arguments: [now, limit]
            ).map(Self.fetchEntry)
        }
    }

    /// When the next queued URL falls due, if any is queued.
    public func nextFetchDue() throws -> Double? {
        try queue.read { db in
            try Double.fetchOne(db, sql: "SELECT min(next_attempt_at) FROM fetch_queue WHERE state = 'queued'")
        }
    }

    /// Marks a URL as being fetched (one more attempt).
    public func markFetching(_ id: Int64) throws {
        try queue.write { db in
            try db.execute(
                sql: """
                    UPDATE fetch_queue SET state = 'fetching', attempts = attempts + 1,
                        updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?
                    """, arguments: [id])
        }
    }

    /// Puts a URL back in the queue for `at` (a retry after a transient failure, or a wait for
    /// robots.txt), with what the last attempt saw.
    public func rescheduleFetch(_ id: Int64, at time: Double, status: Int?, error: String?, countAttempt: Bool = true)
        throws
    {
        try queue.write { db in
            try db.execute(
                sql: """
                    UPDATE fetch_queue SET state = 'queued', next_attempt_at = ?, last_status = ?, last_error = ?,
                        attempts = attempts - ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?
                    """, arguments: [time, status, error, countAttempt ? 0 : 1, id])
        }
    }

    /// Ends a fetch that produced no document: `failed` with a reason, or `done` (a 304).
    public func finishFetch(
        _ id: Int64, state: FetchQueueEntry.State, status: Int?, reason: String?, error: String?,
        finalURL: String? = nil
    ) throws {
        try queue.write { db in
            try db.execute(
                sql: """
                    UPDATE fetch_queue SET state = ?, last_status = ?, reason = ?, last_error = ?,
                        final_url = coalesce(?, final_url), updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                    WHERE id = ?
                    """, arguments: [state.rawValue, status, reason, error, finalURL, id])
        }
    }

    /// Inside a commit: the fetch whose document the batch holds is done.
    static func complete(_ completion: FetchCompletion, in db: Database) throws {
        try db.execute(
            sql: """
                UPDATE fetch_queue SET state = 'done', last_status = ?, final_url = ?, etag = ?, last_modified = ?,
                    record_id = ?, reason = NULL, last_error = NULL,
                    updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                WHERE id = ?
                """,
            arguments: [
                completion.status, completion.finalURL, completion.etag, completion.lastModified,
                completion.recordID, completion.id,
            ])
    }

    /// At start: fetches in flight when the daemon stopped are queued again. Returns how many.
    public func requeueInterruptedFetches() throws -> Int {
        try queue.write { db in
            try db.execute(sql: "UPDATE fetch_queue SET state = 'queued' WHERE state = 'fetching'")
            return db.changesCount
        }
    }

    /// Failed URLs, most recent first.
    public func failedFetches(limit: Int) throws -> [FetchQueueEntry] {
        try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM fetch_queue WHERE state = 'failed' ORDER BY updated_at DESC, id DESC LIMIT ?",
                arguments: [limit]
            ).map(Self.fetchEntry)
        }
    }

    /// Queues failed URLs again (the given ids, or all of them when `ids` is nil); returns the ids queued.
    public func retryFetches(_ ids: [Int64]?, now: Double) throws -> [Int64] {
        try queue.write { db in
            let failed = try Int64.fetchAll(db, sql: "SELECT id FROM fetch_queue WHERE state = 'failed' ORDER BY id")
            let chosen = ids.map { wanted in failed.filter { wanted.contains($0) } } ?? failed
            for id in chosen {
                try db.execute(
                    sql: """
                        UPDATE fetch_queue SET state = 'queued', attempts = 0, next_attempt_at = ?,
                            updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?
                        """, arguments: [now, id])
            }
            return chosen
        }
    }

    /// How many URLs are in each state.
    public func fetchQueueCounts() throws -> [FetchQueueEntry.State: Int] {
        try queue.read { db in
            var counts: [FetchQueueEntry.State: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) FROM fetch_queue GROUP BY state") {
                if let state = FetchQueueEntry.State(rawValue: row[0]) { counts[state] = row[1] }
            }
            return counts
        }
    }

    /// One queue entry by id.
    public func fetchEntry(_ id: Int64) throws -> FetchQueueEntry? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM fetch_queue WHERE id = ?", arguments: [id]).map(Self.fetchEntry)
        }
    }

    /// The cached robots.txt of an origin: when it was fetched (Unix seconds), the status, the text.
    public func robots(of origin: String) throws -> (fetchedAt: Double, status: Int, text: String)? {
        try queue.read { db in
            try Row.fetchOne(
                db, sql: "SELECT fetched_at, status, body FROM robots WHERE origin = ?", arguments: [origin]
            ).map { ($0[0], $0[1], $0[2]) }
        }
    }

    public func saveRobots(of origin: String, fetchedAt: Double, status: Int, text: String) throws {
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO robots (origin, fetched_at, status, body) VALUES (?, ?, ?, ?)
                    ON CONFLICT(origin) DO UPDATE SET fetched_at = excluded.fetched_at, status = excluded.status,
                        body = excluded.body
                    """, arguments: [origin, fetchedAt, status, text])
        }
    }

    private static func fetchEntry(_ row: Row) -> FetchQueueEntry {
        FetchQueueEntry(
            id: row["id"], url: row["url"], origin: row["origin"],
            state: FetchQueueEntry.State(rawValue: row["state"]) ?? .queued, attempts: row["attempts"],
            nextAttemptAt: row["next_attempt_at"], lastStatus: row["last_status"], lastError: row["last_error"],
            reason: row["reason"], etag: row["etag"], lastModified: row["last_modified"], finalURL: row["final_url"],
            recordID: row["record_id"], updatedAt: row["updated_at"])
    }
}
