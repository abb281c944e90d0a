import Foundation
import GRDB
import Logging
import Synchronization
import WinnowIO

/// The band, fingerprint and line-count indexes, each a log-structured merge of three kinds of part:
/// - its recent rows (`RecentRows`), held in memory: each commit logs the rows it adds as one blob
///   in `index_log`, in its transaction, and adds them to memory once it has committed; opening
///   the database reads the log back;
/// - frozen rows: recent rows that reached their capacity, kept in memory (and in the log) under
///   the number of the run they become, while a fresh set of recent rows takes the next commits;
/// - sorted runs (`IndexRun`): a background thread writes each frozen set out as a run, dropping
///   its blobs from the log in the transaction that lists the run, and merges runs of about the
///   same size into one, so there are a few runs per factor of four in size. Line counts add up in
///   a merge; past their bound, all their runs are merged into one that leaves out the lines seen
///   in fewer than three documents.
///
/// Until version 15 of the schema, the recent rows were SQLite tables, which commits inserted into
/// row by row: a tenth to a fifth of the daemon's time on the text benchmark, and most of what a
/// commit wrote to the WAL (0.9–1.4 MB for a group commit of 20 small files: random keys dirty most
/// leaf pages). Frozen tables that a database of those versions still holds are written out at open.
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
/// frozen rows' blobs, or unlists the runs merged into it) commits; at open, files the table does
/// not list are removed, and the log's blobs are read back (and written out again if they reach
/// the capacity).
struct RunPart: Sendable, Hashable {
    /// The part's name in `index_run`, `index_log` and run file names.
    var name: String
    /// The table that held the recent rows until version 15 of the schema.
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

    /// The schema of the recent tables of versions 10 to 14 (frozen tables have it too). A band or
    /// fingerprint row names a `near_document` row written in the same transaction, and has no
    /// foreign key: SQLite would look the document up for every row, a tenth of the commit's time,
    /// and the runs, which hold most of the index, have none.
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

/// What lookups read of one part.
struct RunPartState: Sendable {
    var runs: [IndexRun] = []
    /// Frozen tables of a database from before version 15, each to be written out as a run.
    var frozen: [(table: String, sequence: Int)] = []
    /// The rows of the commits since the last freeze.
    var recent: RecentRows
    /// The `index_log` generations the recent rows were logged under: commits log under the last.
    var generations = 0...0
    /// Recent rows frozen at their capacity, oldest first, each to be written out as a run.
    var frozenRecent: [FrozenRows] = []

    struct FrozenRows: Sendable {
        /// The number of the run they become.
        var sequence: Int
        /// The generations of their blobs in `index_log`.
        var generations: ClosedRange<Int>
        var rows: RecentRows
    }

    init(_ part: RunPart) {
        recent = RecentRows(sums: part.sums)
    }

    /// Freezes the recent rows as the run of `sequence`; the next commits log under a new generation.
    mutating func freezeRecent(sequence: Int) {
        frozenRecent.append(FrozenRows(sequence: sequence, generations: generations, rows: recent))
        recent = RecentRows(sums: recent.sums)
        generations = (generations.upperBound + 1)...(generations.upperBound + 1)
    }
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
        case flushRecent(RunPart, sequence: Int)
        case merge(RunPart, [IndexRun], sequence: Int, evicting: Bool)
    }

    /// Runs per size class before they are merged into one of the next: a row is copied about
    /// log4(rows / capacity) times in all.
    static let fanIn = 4

    /// Frozen sets of recent rows a part holds in memory at most. More wait only while the
    /// maintenance thread cannot write runs; the newer ones then go to frozen tables in SQLite
    /// (`spillFrozenBacklog`), so that memory stays bounded however long that lasts.
    static let frozenSetsInMemory = 4

    let directory: String
    /// Recent rows a part holds before they are frozen.
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

    func part(_ part: RunPart) -> RunPartState { state.withLock { $0.parts[part] ?? RunPartState(part) } }

    /// Throws `Stopped` once the process is stopping; checked every 65,536 rows written.
    func checkStopping(_ rows: Int) throws {
        if rows & 0xFFFF == 0, state.withLock({ $0.stopping }) { throw Stopped() }
    }

    /// The size class of a run of `rows` rows: 0 below `fanIn` frozen sets' worth, then one more
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

    /// The next piece of work: the oldest frozen table or frozen rows of any part, else the
    /// smallest size class that has `fanIn` runs.
    func nextJob(in state: inout State) -> Job? {
        for part in RunPart.all {
            if let frozen = state.parts[part]?.frozen.first {
                return .flush(part, table: frozen.table, sequence: frozen.sequence)
            }
            if let frozen = state.parts[part]?.frozenRecent.first {
                return .flushRecent(part, sequence: frozen.sequence)
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
    /// Recent rows a part holds in memory before they are frozen and written out as a run, by
    /// default: about 4.5 MB of memory per part, in a key table at most half full (and as much
    /// again while a frozen set is written out), and as many rows read back from the log at open.
    public static let defaultRunTableCapacity = 100_000

    /// Directory of the run files of the database at `path`.
    static func runDirectory(forDatabase path: String) -> String { path + "-runs" }

    /// At open: lists the frozen tables, removes run files that no committed transaction lists,
    /// reads the recent rows back from the log (freezing them if they reached the capacity), and
    /// returns the runs of each part, which the filters open (and check) as they read them
    /// (`rebuildFilters(opening:)`).
    func openRuns() throws -> [RunPart: [String]] {
        try FileSystem.makeDirectory(runs.directory)
        var state = IndexRuns.State()
        var listed: [RunPart: [String]] = [:]
        try queue.inDatabase { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            for part in RunPart.all {
                var partState = RunPartState(part)
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
                var generations: ClosedRange<Int>?
                let log = try RawStatement(db, uncached: "SELECT generation, rows FROM index_log WHERE part = ?")
                log.bind(1, part.name)
                try log.run { row in
                    let generation = Int(row.int64(0))
                    generations =
                        generations.map {
                            min($0.lowerBound, generation)...max($0.upperBound, generation)
                        } ?? generation...generation
                    partState.recent.add(row.withBlob(1, RecentRows.decode))
                }
                // The next commits log under a generation of their own.
                if let generations { partState.generations = generations.lowerBound...(generations.upperBound + 1) }
                state.parts[part] = partState
            }
        }
        for part in RunPart.all where state.parts[part, default: RunPartState(part)].recent.count >= runs.capacity {
            state.parts[part]?.freezeRecent(sequence: state.nextSequence)
            state.nextSequence += 1
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

    /// Logs a batch's rows of `part` as one blob, in no particular order (a pair held twice is added
    /// once when the blob is read into memory), inside the commit's transaction. When they take the recent rows to the capacity,
    /// returns the number of the run the recent rows are frozen for, which `published` freezes once
    /// the transaction has committed. (The number is taken now, so that no merge can take it
    /// before; a commit that rolls back leaves a gap in the numbers, which does no harm.)
    func log(_ entries: [IndexEntry], of part: RunPart, in db: Database) throws -> Int? {
        guard !entries.isEmpty else { return nil }
        let (generation, sequence) = runs.state.withLock { state -> (Int, Int?) in
            let held = state.parts[part, default: RunPartState(part)]
            let generation = held.generations.upperBound
            guard held.recent.count + entries.count >= runs.capacity else { return (generation, nil) }
            defer { state.nextSequence += 1 }
            return (generation, state.nextSequence)
        }
        try Self.appendToLog(entries, of: part, generation: generation, in: db)
        return sequence
    }

    /// Writes `entries` as one blob of `part` under `generation` into `index_log`.
    static func appendToLog(_ entries: [IndexEntry], of part: RunPart, generation: Int, in db: Database) throws {
        let insert = try RawStatement(db, "INSERT INTO index_log (part, generation, rows) VALUES (?, ?, ?)")
        insert.bind(1, part.name)
        insert.bind(2, Int64(generation))
        RecentRows.encode(entries).withUnsafeBytes { insert.bind(3, bytes: $0) }
        try insert.run()
    }

    /// Deletes the blobs of `part` logged under `generations` (a frozen set's, once its rows are
    /// in a run or a table).
    private static func dropLogged(_ part: RunPart, generations: ClosedRange<Int>, in db: Database) throws {
        try db.execute(
            sql: "DELETE FROM index_log WHERE part = ? AND generation BETWEEN ? AND ?",
            arguments: [part.name, generations.lowerBound, generations.upperBound])
    }

    /// Calls `body` with each row of `table`, a table of `part`'s schema (`RunPart.createSQL`), in
    /// key and value order.
    static func forEachRow(
        of part: RunPart, in table: String, db: Database, _ body: (IndexEntry) throws -> Void
    ) throws {
        try RawStatement(
            db, uncached: "SELECT \(part.key), \(part.value) FROM \(table) ORDER BY \(part.key), \(part.value)"
        ).run { row in try body(IndexEntry(key: row.int64(0), document: row.int64(1))) }
    }

    /// After the commit: adds the rows it logged to the recent rows in memory and freezes those
    /// that reached the capacity, then starts the background work if there is any.
    func published(added: [RunPart: [IndexEntry]], frozen: [RunPart: Int]) {
        runs.state.withLock { state in
            // In place: a copy of 100,000 recent rows per commit would cost more than the commit.
            for (part, entries) in added {
                state.parts[part, default: RunPartState(part)].recent.add(entries)
                if let sequence = frozen[part] { state.parts[part]?.freezeRecent(sequence: sequence) }
            }
        }
        if !frozen.isEmpty { startMaintenance() }
    }

    /// Moves the newest frozen sets of recent rows of a part holding more than
    /// `IndexRuns.frozenSetsInMemory` into frozen tables, each in one transaction that creates the
    /// table and drops the set's blobs from the log; the maintenance thread writes such tables out
    /// as it did before version 15. Never the oldest set, which that thread may be writing out.
    /// Inside the queue, after a commit; a failure is logged, and the set stays in memory.
    func spillFrozenBacklog(in db: Database) {
        for part in RunPart.all {
            while true {
                let held = runs.part(part).frozenRecent
                guard held.count > IndexRuns.frozenSetsInMemory, let newest = held.last else { break }
                let table = part.frozenPrefix + String(newest.sequence)
                do {
                    try db.inTransaction {
                        try db.execute(sql: part.createSQL(table))
                        let insert = try RawStatement(
                            db, uncached: "INSERT INTO \(table) (\(part.key), \(part.value)) VALUES (?, ?)")
                        for entry in newest.rows.sortedEntries() {
                            insert.bind(1, entry.key)
                            insert.bind(2, entry.document)
                            try insert.run()
                        }
                        try Self.dropLogged(part, generations: newest.generations, in: db)
                        return .commit
                    }
                } catch {
                    runs.logger.error(
                        "frozen index rows could not be moved to a table; they stay in memory",
                        metadata: ["part": "\(part.name)", "error": "\(error)"])
                    return
                }
                runs.state.withLock { state in
                    state.parts[part]?.frozenRecent.removeAll { $0.sequence == newest.sequence }
                    state.parts[part]?.frozen.append((table, newest.sequence))
                }
                runs.logger.warning(
                    "index rows waiting to be written out moved to a table",
                    metadata: ["part": "\(part.name)", "table": "\(table)", "rows": "\(newest.rows.count)"])
            }
        }
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
                case .flushRecent(let part, let sequence): try flushRecent(part, sequence: sequence)
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
        let run = try reader.read { db in
            try writeRun(part, sequence: sequence) { append in
                try Self.forEachRow(of: part, in: table, db: db, append)
            }
        }
        try publish(run, of: part) { db in
            try db.execute(sql: "DROP TABLE \(table)")
        } forget: { state in
            state.frozen.removeAll { $0.table == table }
        }
        runs.logger.debug(
            "index table written out", metadata: ["table": "\(table)", "rows": "\(run?.count ?? 0)"])
    }

    /// Writes frozen recent rows out as a run, then in one transaction lists the run and drops their
    /// blobs from the log (the same order of steps as `flush`, for the same reasons).
    private func flushRecent(_ part: RunPart, sequence: Int) throws {
        let frozen = runs.state.withLock { $0.parts[part]?.frozenRecent.first { $0.sequence == sequence } }
        guard let frozen else { return }
        let run = try writeRun(part, sequence: sequence) { append in
            for entry in frozen.rows.sortedEntries() { try append(entry) }
        }
        try publish(run, of: part) { db in
            try Self.dropLogged(part, generations: frozen.generations, in: db)
        } forget: { state in
            state.frozenRecent.removeAll { $0.sequence == sequence }
        }
        runs.logger.debug("index rows written out", metadata: ["run": "\(sequence)", "rows": "\(run?.count ?? 0)"])
    }

    /// Writes the rows `rows` gives (in order) as the run numbered `sequence` of `part`; nil when
    /// it gives none. A failed or stopped write leaves no file.
    private func writeRun(
        _ part: RunPart, sequence: Int, rows: ((IndexEntry) throws -> Void) throws -> Void
    ) throws -> IndexRun? {
        var writer = try IndexRunWriter(directory: runs.directory, name: part.runName(sequence))
        do {
            try rows { entry in
                try writer.append(entry)
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

    /// In one transaction, lists `run` (if there is one) and lets `release` drop the rows it was
    /// written from; then, for lookups, puts the run in their place (`forget` removes them).
    private func publish(
        _ run: IndexRun?, of part: RunPart, release: (Database) throws -> Void,
        forget: (inout RunPartState) -> Void
    ) throws {
        try queue.inDatabase { db in
            try db.inTransaction {
                if let run { try Self.list(run, of: part, in: db) }
                try release(db)
                return .commit
            }
            runs.state.withLock { state in
                forget(&state.parts[part, default: RunPartState(part)])
                if let run { state.parts[part, default: RunPartState(part)].runs.append(run) }
            }
        }
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
                state.parts[part, default: RunPartState(part)].runs.removeAll { names.contains($0.name) }
                state.parts[part, default: RunPartState(part)].runs.append(merged)
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
        for key in keys {
            state.recent.values(forKey: key) { found.append((key, $0)) }
            for frozen in state.frozenRecent { frozen.rows.values(forKey: key) { found.append((key, $0)) } }
        }
        // Frozen tables (of a database from before version 15) until they are written out.
        let tables = state.frozen.map(\.table)
        // SQLite's default limit on bound parameters is 999 in older builds: ask in slices.
        for start in stride(from: 0, to: keys.count, by: 500) {
            let slice = keys[start..<min(start + 500, keys.count)]
            let placeholders = RawStatement.numberedPlaceholders(slice.count)
            for table in tables {
                let sql = "SELECT \(part.key), \(part.value) FROM \(table) WHERE \(part.key) IN (\(placeholders))"
                let statement = try RawStatement(db, uncached: sql)
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
