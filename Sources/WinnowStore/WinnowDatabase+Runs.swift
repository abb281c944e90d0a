import Foundation
import GRDB
import Logging
import Synchronization
import WinnowIO

/// The band, fingerprint and line-count indexes, each a log-structured merge of three kinds of part:
/// - its recent table in SQLite, which commits insert into (in key order, a few thousand rows a
///   commit; line counts are upserted) and which stays small enough for SQLite's page cache;
/// - frozen tables: a recent table that reached its capacity is renamed (in the commit's
///   transaction, which costs nothing) and a fresh one created;
/// - sorted runs (`IndexRun`): a background thread writes each frozen table out as a run and drops
///   it, and merges runs of about the same size into one, so there are a few runs per factor of
///   four in size. Line counts add up in a merge; past their bound, all their runs are merged into
///   one that leaves out the lines seen in fewer than three documents.
///
/// Before, the recent rows were swept into one large B-tree per index, and each row moved was an
/// insert into it: at a million documents that rewrote pages of a 1.2 GB file at every commit, and
/// a document cost 2.2 times what it cost at ten thousand. A row now is written once into a small
/// table and then copied sequentially a few times (once per merge level), and what a commit does to
/// these indexes no longer depends on how large they are.
///
/// Lookups read every part; the negative filters (WinnowDatabase+Filters.swift) cover them all, so
/// only keys that may be present are looked up, with one `pread` per run. Crash safety: a run file
/// is complete under its name before the transaction that lists it in `index_run` (and drops the
/// frozen table, or unlists the runs merged into it) commits; at open, files the table does not
/// list are removed, and frozen tables left over are written out again.
struct RunPart: Sendable, Hashable {
    /// The part's name in `index_run` and in run file names.
    var name: String
    var recent: String
    var key: String
    /// The column a row holds beside its key: the document of a band or fingerprint row, or the
    /// number of documents a line was seen in.
    var value = "document"
    /// Whether the values of one key add up (line counts: a key has one row per part, and the
    /// count is their sum) rather than stand as rows of their own (a key's documents).
    var sums = false

    static let bands = RunPart(name: "bands", recent: "near_band_recent", key: "band_key")
    static let fingerprints = RunPart(name: "fingerprints", recent: "near_fingerprint_recent", key: "key")
    static let lines = RunPart(
        name: "lines", recent: "repeated_line_recent", key: "key", value: "documents", sums: true)
    static let all = [bands, fingerprints, lines]

    /// `near_band_frozen_` for `near_band_recent`.
    var frozenPrefix: String { String(recent.dropLast("recent".count)) + "frozen_" }
    func runName(_ sequence: Int) -> String { "\(name)-\(sequence).run" }

    /// The recent table's schema. A band or fingerprint row names a `near_document` row written in
    /// the same transaction, and has no foreign key: SQLite would look the document up for every
    /// row, a tenth of the commit's time, and the runs, which hold most of the index, have none.
    func createSQL(_ table: String) -> String {
        if sums { return "CREATE TABLE \(table) (\(key) INTEGER PRIMARY KEY, \(value) INTEGER NOT NULL)" }
        return """
                CREATE TABLE \(table) (
                \(key) INTEGER NOT NULL,
                document INTEGER NOT NULL,               -- near_document(id)
                PRIMARY KEY (\(key), document)
            ) WITHOUT ROWID
            """
    }
}

/// What lookups read of one part besides its recent table.
struct RunPartState: Sendable {
    var runs: [IndexRun] = []
    var frozen: [(table: String, sequence: Int)] = []
    /// Rows inserted into the recent table since it was created (a few ignored duplicates included;
    /// for line counts, the upserts).
    var recentRows = 0
}

/// The runs, frozen tables and background work of the run-backed indexes.
final class IndexRuns: Sendable {
    struct State: Sendable {
        var parts: [RunPart: RunPartState] = [:]
        /// The next number for a frozen table or a run (one sequence for all parts).
        var nextSequence = 1
        /// Whether a maintenance thread is running.
        var working = false
        /// After a failure, no new attempt before this time.
        var retryAfter: ContinuousClock.Instant?
        /// Set when the process is stopping: work under way is given up (and done again at the
        /// next open), and none is started.
        var stopping = false
    }

    /// Work under way given up because the process is stopping.
    struct Stopped: Error {}

    enum Job {
        case flush(RunPart, table: String, sequence: Int)
        case merge(RunPart, [IndexRun], sequence: Int, evicting: Bool)
    }

    /// Runs per size class before they are merged into one of the next: a row is copied about
    /// log4(rows / capacity) times in all.
    static let fanIn = 4

    let directory: String
    /// Rows a recent table takes before it is frozen.
    let capacity: Int
    /// Line counts the runs keep at most, about: past it, the lines seen in fewer than three
    /// documents (the ones that never became furniture) are forgotten first.
    let lineCapacity: Int
    let state = Mutex(State())
    /// Entered while a maintenance thread runs.
    let active = DispatchGroup()
    let logger = Logger(label: "winnow.index")

    init(directory: String, capacity: Int, lineCapacity: Int) {
        self.directory = directory
        self.capacity = capacity
        self.lineCapacity = lineCapacity
    }

    func part(_ part: RunPart) -> RunPartState { state.withLock { $0.parts[part] ?? RunPartState() } }

    /// Throws `Stopped` once the process is stopping; checked every 65,536 rows written.
    func checkStopping(_ rows: Int) throws {
        if rows & 0xFFFF == 0, state.withLock({ $0.stopping }) { throw Stopped() }
    }

    /// The size class of a run of `rows` rows: 0 below `fanIn` recent tables' worth, then one more
    /// per factor of `fanIn`.
    func sizeClass(_ rows: Int) -> Int {
        var level = 0
        var bound = capacity * Self.fanIn
        while rows >= bound && level < 30 {
            level += 1
            bound = bound.multipliedReportingOverflow(by: Self.fanIn).overflow ? .max : bound * Self.fanIn
        }
        return level
    }

    /// The next piece of work: the oldest frozen table of any part, else the smallest size class
    /// that has `fanIn` runs.
    func nextJob(in state: inout State) -> Job? {
        for part in RunPart.all {
            if let frozen = state.parts[part]?.frozen.first {
                return .flush(part, table: frozen.table, sequence: frozen.sequence)
            }
        }
        for part in RunPart.all {
            let runs = state.parts[part]?.runs ?? []
            // Line counts past their bound: everything merged into one run, without the lines
            // seen in fewer than three documents, once the runs beside the largest hold a quarter
            // of the bound (so that a merge that drops little is not repeated at once).
            let rows = runs.reduce(0) { $0 + $1.count }
            if part.sums, runs.count > 1, rows > lineCapacity,
                rows - (runs.map(\.count).max() ?? 0) >= lineCapacity / 4
            {
                defer { state.nextSequence += 1 }
                return .merge(part, runs, sequence: state.nextSequence, evicting: true)
            }
            let classes = Dictionary(grouping: runs) { sizeClass($0.count) }
            if let level = classes.keys.sorted().first(where: { classes[$0]!.count >= Self.fanIn }) {
                defer { state.nextSequence += 1 }
                return .merge(part, classes[level]!, sequence: state.nextSequence, evicting: false)
            }
        }
        return nil
    }
}

extension WinnowDatabase {
    /// Rows a band or fingerprint recent table takes before it is frozen, by default. A commit's
    /// rows land on most pages of the recent table, and each page dirtied is written to the WAL
    /// and checkpointed: a small table keeps that cost the same at any index size, and writing it
    /// out as a run costs little.
    public static let defaultRunTableCapacity = 100_000

    /// Directory of the run files of the database at `path`.
    static func runDirectory(forDatabase path: String) -> String { path + "-runs" }

    /// At open: lists the frozen tables, removes run files that no committed transaction lists,
    /// counts the recent tables' rows, and returns the runs of each part, which the filters open
    /// (and check) as they read them (`rebuildFilters(opening:)`).
    func openRuns() throws -> [RunPart: [String]] {
        try FileSystem.makeDirectory(runs.directory)
        var state = IndexRuns.State()
        var listed: [RunPart: [String]] = [:]
        try queue.inDatabase { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            for part in RunPart.all {
                var partState = RunPartState()
                for row in try Row.fetchAll(
                    db, sql: "SELECT name FROM index_run WHERE part = ? ORDER BY name", arguments: [part.name])
                {
                    let name: String = row["name"]
                    listed[part, default: []].append(name)
                    state.nextSequence = max(state.nextSequence, Self.sequence(ofRun: name) + 1)
                }
                for table in tables where table.hasPrefix(part.frozenPrefix) {
                    // An empty one (a new database's, from the migration) is dropped at once.
                    guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table))") == true else {
                        try db.execute(sql: "DROP TABLE \(table)")
                        continue
                    }
                    let sequence = Int(table.dropFirst(part.frozenPrefix.count)) ?? 0
                    partState.frozen.append((table, sequence))
                    state.nextSequence = max(state.nextSequence, sequence + 1)
                }
                partState.frozen.sort { $0.sequence < $1.sequence }
                partState.recentRows = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(part.recent)") ?? 0
                state.parts[part] = partState
            }
        }
        let names = Set(listed.values.joined())
        for name in try FileSystem.list(runs.directory) where !names.contains(name) {
            try FileSystem.remove(runs.directory + "/" + name)
        }
        runs.state.withLock { $0 = state }
        return listed
    }

    /// `bands-12.run` → 12.
    private static func sequence(ofRun name: String) -> Int {
        let digits = name.split(separator: "-").last?.split(separator: ".").first
        return digits.flatMap { Int($0) } ?? 0
    }

    /// Inserts a batch's rows of `part` in key order and, when its recent table has reached the
    /// capacity, freezes it. Inside the commit's transaction; returns the table frozen, which
    /// `published` makes visible once the transaction has committed.
    func insert(_ rows: [(key: Int64, row: Int64)], into part: RunPart, in db: Database) throws -> (
        table: String, sequence: Int
    )? {
        guard !rows.isEmpty else { return nil }
        let insert = try RawStatement(
            db, "INSERT OR IGNORE INTO \(part.recent) (\(part.key), \(part.value)) VALUES (?, ?)")
        for row in rows.sorted(by: { $0.key < $1.key }) {
            insert.bind(1, row.key)
            insert.bind(2, row.row)
            try insert.run()
        }
        return try freezeIfFull(part, added: rows.count, in: db)
    }

    /// Freezes `part`'s recent table if the `added` rows take it to its capacity: renames it and
    /// creates an empty one. Inside the commit's transaction.
    func freezeIfFull(_ part: RunPart, added: Int, in db: Database) throws -> (table: String, sequence: Int)? {
        // The number is taken now, so that no merge can take it before the commit is published
        // (a commit that rolls back leaves a gap in the numbers, which does no harm).
        let sequence = runs.state.withLock { state -> Int? in
            guard state.parts[part, default: RunPartState()].recentRows + added >= runs.capacity else {
                return nil
            }
            defer { state.nextSequence += 1 }
            return state.nextSequence
        }
        guard let sequence else { return nil }
        let table = part.frozenPrefix + String(sequence)
        try db.execute(sql: "ALTER TABLE \(part.recent) RENAME TO \(table)")
        try db.execute(sql: part.createSQL(part.recent))
        return (table, sequence)
    }

    /// After the commit: counts the rows added and lists the tables frozen, then starts the
    /// background work if there is any.
    func published(added: [RunPart: Int], frozen: [RunPart: (table: String, sequence: Int)]) {
        runs.state.withLock { state in
            for (part, count) in added {
                if let table = frozen[part] {
                    state.parts[part, default: RunPartState()].frozen.append(table)
                    state.parts[part, default: RunPartState()].recentRows = 0
                } else {
                    state.parts[part, default: RunPartState()].recentRows += count
                }
            }
        }
        if !frozen.isEmpty { startMaintenance() }
    }

    /// Starts the maintenance thread unless it runs, there is nothing to do, or it failed less
    /// than a minute ago.
    func startMaintenance() {
        let start = runs.state.withLock { state in
            guard !state.working, !state.stopping else { return false }
            if let retry = state.retryAfter, ContinuousClock.now < retry { return false }
            var probe = state
            guard runs.nextJob(in: &probe) != nil else { return false }
            state.working = true
            return true
        }
        guard start else { return }
        runs.active.enter()
        Thread.detachNewThread { [self] in
            maintain()
            runs.active.leave()
        }
    }

    /// Waits until the maintenance thread has done all there is to do (or stopped on a failure).
    public func waitForIndexMaintenance() {
        runs.active.wait()
    }

    /// When the process stops: gives up the maintenance under way (a frozen table being written
    /// out or runs being merged stay as they are, and the work is done again at the next open)
    /// and waits for the thread to end, which takes at most a few milliseconds.
    public func stopIndexMaintenance() {
        runs.state.withLock { $0.stopping = true }
        runs.active.wait()
    }

    /// The maintenance thread: flushes frozen tables and merges runs until there is nothing left.
    private func maintain() {
        while true {
            let job = runs.state.withLock { state -> IndexRuns.Job? in
                if !state.stopping, let job = runs.nextJob(in: &state) { return job }
                state.working = false
                return nil
            }
            guard let job else { return }
            do {
                switch job {
                case .flush(let part, let table, let sequence): try flush(part, table: table, sequence: sequence)
                case .merge(let part, let inputs, let sequence, let evicting):
                    try merge(part, inputs, sequence: sequence, evicting: evicting)
                }
            } catch is IndexRuns.Stopped {
                runs.state.withLock { $0.working = false }
                return
            } catch {
                runs.logger.error(
                    "index maintenance failed; it is tried again in a minute, and lookups read the parts as they are",
                    metadata: ["error": "\(error)"])
                runs.state.withLock { state in
                    state.working = false
                    state.retryAfter = ContinuousClock.now + .seconds(60)
                }
                return
            }
        }
    }

    /// Writes the frozen table out as a run (read on a connection of its own, so commits go on),
    /// then in one transaction lists the run and drops the table. If that transaction fails, the
    /// file is left where it is: a failed COMMIT may still have reached the disk, and the next
    /// open removes the file only if the database does not list it.
    private func flush(_ part: RunPart, table: String, sequence: Int) throws {
        let reader = try Self.reader(path: path)
        let run: IndexRun? = try reader.read { db in
            var writer = try IndexRunWriter(directory: runs.directory, name: part.runName(sequence))
            do {
                try RawStatement(
                    db,
                    uncached: "SELECT \(part.key), \(part.value) FROM \(table) ORDER BY \(part.key), \(part.value)"
                ).run { row in
                    try writer.append(IndexEntry(key: row.int64(0), document: row.int64(1)))
                    try runs.checkStopping(writer.count)
                }
                if writer.isEmpty {
                    writer.abandon()
                    return nil
                }
                return try writer.finish()
            } catch {
                writer.abandon()
                throw error
            }
        }
        try queue.inDatabase { db in
            try db.inTransaction {
                if let run { try Self.list(run, of: part, in: db) }
                try db.execute(sql: "DROP TABLE \(table)")
                return .commit
            }
            runs.state.withLock { state in
                state.parts[part, default: RunPartState()].frozen.removeAll { $0.table == table }
                if let run { state.parts[part, default: RunPartState()].runs.append(run) }
            }
        }
        runs.logger.debug(
            "index table written out", metadata: ["table": "\(table)", "rows": "\(run?.count ?? 0)"])
    }

    /// Merges runs into one, then in one transaction lists it in their place; removes their files.
    private func merge(_ part: RunPart, _ inputs: [IndexRun], sequence: Int, evicting: Bool) throws {
        let merged = try IndexRun.merge(
            inputs, directory: runs.directory, name: part.runName(sequence), summing: part.sums,
            dropBelow: evicting ? 3 : nil, check: runs.checkStopping)
        let names = Set(inputs.map(\.name))
        try queue.inDatabase { db in
            try db.inTransaction {
                for name in names { try db.execute(sql: "DELETE FROM index_run WHERE name = ?", arguments: [name]) }
                try Self.list(merged, of: part, in: db)
                return .commit
            }
            runs.state.withLock { state in
                state.parts[part, default: RunPartState()].runs.removeAll { names.contains($0.name) }
                state.parts[part, default: RunPartState()].runs.append(merged)
            }
        }
        // Lookups under way keep their open descriptors; the space comes back when they end.
        for input in inputs { try? FileSystem.remove(input.path) }
        runs.logger.debug("index runs merged", metadata: ["runs": "\(inputs.count)", "rows": "\(merged.count)"])
    }

    private static func list(_ run: IndexRun, of part: RunPart, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO index_run (name, part, rows, checksum) VALUES (?, ?, ?, ?)",
            arguments: [run.name, part.name, run.count, Int64(bitPattern: run.checksum)])
    }

    /// The value (document, or count) of every row of `part` whose key is one of `keys`
    /// (distinct), in all its parts. Inside the queue, so that no part is added or dropped meanwhile.
    func rows(_ part: RunPart, keys: [Int64], in db: Database) throws -> [(key: Int64, value: Int64)] {
        guard !keys.isEmpty else { return [] }
        let state = runs.part(part)
        var found: [(key: Int64, value: Int64)] = []
        let tables = [part.recent] + state.frozen.map(\.table)
        // SQLite's default limit on bound parameters is 999 in older builds: ask in slices.
        for start in stride(from: 0, to: keys.count, by: 500) {
            let slice = keys[start..<min(start + 500, keys.count)]
            let placeholders = RawStatement.numberedPlaceholders(slice.count)
            for (index, table) in tables.enumerated() {
                let sql = "SELECT \(part.key), \(part.value) FROM \(table) WHERE \(part.key) IN (\(placeholders))"
                // The recent table's statement is cached (one per key count); a frozen table's is not.
                let statement = index == 0 ? try RawStatement(db, sql) : try RawStatement(db, uncached: sql)
                for (index, key) in slice.enumerated() { statement.bind(Int32(index + 1), key) }
                try statement.run { found.append(($0.int64(0), $0.int64(1))) }
            }
        }
        var buffer: [UInt8] = []
        for run in state.runs {
            for key in keys { try run.documents(forKey: key, buffer: &buffer) { found.append((key, $0)) } }
        }
        return found
    }
}
