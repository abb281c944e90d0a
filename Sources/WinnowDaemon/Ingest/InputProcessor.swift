import Dispatch
import Logging
import Synchronization
import WinnowCore
import WinnowFetch
import WinnowIO
import WinnowStore
import WinnowText

/// A file taken from the inbox: its name as dropped (`folder/name` for a file in an inbox
/// folder) and where it now is.
struct ClaimedFile {
    var name: String
    var claimName: String
    var path: String

    /// The name in claimed/ of the inbox file `name`: the claim prefix, then `-` and the name, or
    /// for a file in a folder `=` and `folder/name` with `%` and `/` escaped (`%25`, `%2F`), so
    /// the name as dropped is known again after a restart.
    static func claimName(prefix: String, name: String) -> String {
        guard name.contains("/") else { return prefix + "-" + name }
        var escaped = ""
        for character in name.unicodeScalars {
            switch character {
            case "%": escaped += "%25"
            case "/": escaped += "%2F"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return prefix + "=" + escaped
    }

    /// The inbox name a claim name was made from (the claim name itself if it has no prefix).
    static func name(claimName: String) -> String {
        guard let separator = claimName.firstIndex(where: { $0 == "-" || $0 == "=" }) else { return claimName }
        let rest = claimName[claimName.index(after: separator)...]
        guard claimName[separator] == "=" else { return String(rest) }
        var name = ""
        var scalars = rest.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            if scalar == "%", scalars.starts(with: "2F".unicodeScalars) {
                name += "/"
                scalars = scalars.dropFirst(2)
            } else if scalar == "%", scalars.starts(with: "25".unicodeScalars) {
                name += "%"
                scalars = scalars.dropFirst(2)
            } else {
                name.unicodeScalars.append(scalar)
            }
        }
        return name
    }
}

/// Processes one claimed file end to end, exactly once (DESIGN.md section 5): documents go through
/// the stages into batches; each batch is appended to the shards and fsynced, then committed to the
/// ledger in one transaction; then the original is archived. A file whose content was committed
/// before is a duplicate; a file partly committed before a crash resumes after its last commit.
///
/// Small files are committed in groups: a file that ends before its batch is full waits, finished
/// but uncommitted and still in claimed/, until the group is committed (`commitGroup`, or the
/// next commit for any reason), so many files share one fsync and one transaction. Each keeps its
/// own ledger row; a crash before the group's commit leaves them all claimed, to be run again.
///
/// Throws only for faults of the machine (disk, database), which stop the daemon or hold intake;
/// a throw drops the uncommitted group, whose files stay claimed for the retry.
final class InputProcessor {
    enum Outcome: Equatable {
        case done(kept: Int, dropped: Int)
        case duplicate(of: String)
        case failed(String)
        case interrupted
        /// Finished, and waiting for the group's commit; reported through `onFinished` after it.
        case pending
    }

    /// A file finished into the batch, archived after the group's commit.
    private struct PendingInput {
        var file: ClaimedFile
        var input: InputRecord
        /// Its lines in the batch.
        var span: Batch.Span
        var outcome: Outcome
        var started: ContinuousClock.Instant
    }

    /// A group is committed once it holds this many files, or its first file waited this long
    /// (bursts of small files still show their first records promptly).
    static let maxGroupFiles = 128
    static let maxGroupWait: Duration = .milliseconds(50)

    private let configuration: Configuration
    private let layout: StateLayout
    private let database: WinnowDatabase
    /// The stages in force; a reload replaces them between inputs, never within one.
    private let runners: Mutex<PipelineRunner>
    private var records: ShardWriter
    private var rejected: ShardWriter
    private let board: StatusBoard
    private let metrics: DaemonMetrics
    private let logger: Logger
    /// Called after a commit that added URLs to the fetch queue or finished a fetch.
    var onFetchQueueChange: () -> Void = {}
    /// Called for each file of a group once it is committed and archived, with when it was taken.
    var onFinished: (ClaimedFile, Outcome, ContinuousClock.Instant) -> Void = { _, _, _ in }
    /// The documents read since the last commit, and the finished files among them.
    private var batch = Batch()
    private var pending: [PendingInput] = []
    /// The keys of the batch's kept documents, seen by the stages before they are committed.
    private var context: StageContext
    /// Ledger writes so far that can add an input row (commits, files set aside): a file read
    /// ahead after the last of them needs no second look for its content hash.
    private var ledgerWrites = 0

    init(
        configuration: Configuration, layout: StateLayout, database: WinnowDatabase, runner: PipelineRunner,
        records: ShardWriter, rejected: ShardWriter, board: StatusBoard, metrics: DaemonMetrics, logger: Logger
    ) {
        self.configuration = configuration
        self.layout = layout
        self.database = database
        self.runners = Mutex(runner)
        self.records = records
        self.rejected = rejected
        self.board = board
        self.metrics = metrics
        self.logger = logger
        self.context = StageContext(exactIndex: database, nearIndex: database, lineCounts: database)
        publishShardSizes()
    }

    /// The committed sizes of the open shards, for `winnow_open_shard_bytes`.
    private func publishShardSizes() {
        metrics.openShards(records: records.current?.committedBytes, rejected: rejected.current?.committedBytes)
    }

    /// Puts new stages in force from the next input on (a configuration reload). Safe from any thread.
    func replaceRunner(_ runner: PipelineRunner) {
        runners.withLock { $0 = runner }
    }

    private var runner: PipelineRunner { runners.withLock { $0 } }

    /// Opens the `records` and `rejected` streams, each cut back to what the ledger committed.
    static func openOutput(configuration: Configuration, layout: StateLayout, database: WinnowDatabase) throws
        -> (records: ShardWriter, rejected: ShardWriter)
    {
        let shards = try database.shards()
        let writers = try ["records", "rejected"].map { stream in
            try ShardWriter(
                directory: layout.output + "/" + stream, stream: stream, maxBytes: configuration.shardMaxBytes,
                committed: shards, compression: configuration.compression)
        }
        return (writers[0], writers[1])
    }

    /// After a write or commit that failed (a full file system): cuts the output back to the
    /// ledger's last commit, as a restart would, so the retry appends after whole committed lines.
    func recoverOutput() throws {
        (records, rejected) = try Self.openOutput(configuration: configuration, layout: layout, database: database)
        publishShardSizes()
    }

    /// Processes `file`; `shouldStop` is asked between batches, so a shutdown leaves a long input
    /// committed up to a batch boundary, to be resumed at the next start. Returns `.pending` for
    /// a file that waits for its group's commit.
    func process(_ file: ClaimedFile, readAhead: ReadAhead? = nil, shouldStop: () -> Bool) throws -> Outcome {
        try droppingGroupOnFault { try processFile(file, readAhead: readAhead, started: .now, shouldStop: shouldStop) }
    }

    /// Commits the pending group, if any, and archives its files.
    func commitGroup() throws {
        try droppingGroupOnFault { _ = try commit(nil) }
    }

    /// Whether a file with content `hash` waits in the group.
    private func isPending(_ hash: Hash128) -> Bool {
        let hash = hash.description
        return pending.contains { $0.input.contentHash == hash }
    }

    /// Runs `body`; if it throws (a fault of the machine), forgets the uncommitted batch first: its
    /// files are still in claimed/, for the retry.
    private func droppingGroupOnFault<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            dropGroup()
            throw error
        }
    }

    private func dropGroup() {
        batch = Batch()
        pending = []
        context = StageContext(exactIndex: database, nearIndex: database, lineCounts: database)
    }

    /// Files up to this size are read ahead: opened, hashed, and read and drafted on the workers
    /// while the files before them are settled (small files then use both cores too). Larger
    /// ones gain nothing from it: their own documents keep the workers busy.
    static let readAheadBytes = 64 << 10

    /// Groups of a large input read and drafted ahead of the one being settled (each at most
    /// `UnitGroup.maxUnits` documents or `UnitGroup.maxBytes` of text), while their text stays
    /// within `ReadQueue.bytesAhead`: enough for the workers to go on through a commit's fsync.
    static let groupsAhead = 32

    /// Starts reading `file` ahead, or returns nil when it is too large, cannot be opened (it is
    /// then opened when its turn comes, which reports the error), or its content is known already.
    func readAhead(_ file: ClaimedFile) -> ReadAhead? {
        guard let source = try? FileByteSource(path: file.path), let size = try? source.size(),
            size <= Self.readAheadBytes, let hash = try? InputOpener.hash(source), (try? source.rewind()) != nil,
            !isPending(hash),
            (try? database.inputs(withContentHash: hash.description).isEmpty) == true,
            let reader = try? InputOpener.reader(
                for: source, name: file.name, contentHash: hash, configuration: configuration)
        else { return nil }
        let (runner, input) = (self.runner, ReadQueue(reader))
        return ReadAhead(
            source: source, size: size, hash: hash, input: input, runner: runner, ledgerWrites: ledgerWrites,
            job: DraftJob(input, after: 0, runner: runner, workers: configuration.workers))
    }

    private func processFile(
        _ file: ClaimedFile, readAhead: ReadAhead?, started: ContinuousClock.Instant, shouldStop: () -> Bool
    ) throws -> Outcome {
        let source: FileByteSource
        let size: Int
        let hash: Hash128
        do {
            if let readAhead {
                (source, size, hash) = (readAhead.source, readAhead.size, readAhead.hash)
            } else {
                source = try FileByteSource(path: file.path)
                size = try source.size()
                hash = try InputOpener.hash(source)
                try source.rewind()
            }
        } catch let error as SystemError {
            return try fail(file, input: nil, reason: "cannot read the file: \(error)")
        }
        // A copy of a file in the group is told a duplicate by the ledger only once that is
        // committed; and the group does not wait for a large file's first batch.
        if isPending(hash) || size > Self.readAheadBytes { try commit(nil) }
        board.update {
            $0.processingSize = size
            $0.processingBytes = 0
        }
        defer {
            board.update {
                $0.inputBytes += size
                $0.processingSize = 0
                $0.processingBytes = 0
            }
        }
        // Read ahead with no ledger write since: its content was unknown then, and still is.
        let previous =
            readAhead?.ledgerWrites == ledgerWrites ? [] : try database.inputs(withContentHash: hash.description)
        var input: InputRecord
        if let own = previous.first(where: { $0.claimName == file.claimName && $0.state != .duplicate }) {
            if own.state == .done { return try finish(file, outcome: .done(kept: own.kept, dropped: own.dropped)) }
            input = own
        } else if let kept = previous.first(where: { $0.state == .done }) {
            return try markDuplicate(file, size: size, hash: hash, of: kept, started: started)
        } else if var orphan = previous.last(where: { $0.state == .processing || $0.state == .failed }) {
            // The same content was partly committed under another claim: a claim whose rename was
            // lost to a power failure, or a failed file put back by `retry`. Resume after its commits.
            orphan.claimName = file.claimName
            input = orphan
        } else {
            input = InputRecord(name: file.name, claimName: file.claimName, contentHash: hash.description, size: size)
            if let readAhead {
                // Content never seen: what was read ahead from its start is what is needed.
                return try run(
                    readAhead.input, file: file, input: input, source: source, runner: readAhead.runner,
                    first: readAhead.job, started: started, shouldStop: shouldStop)
            }
        }
        input.name = file.name
        input.state = .processing
        input.error = nil
        input.failedPath = nil

        let reader: any DocumentReader
        if let readAhead {
            // Resumed after earlier commits: read again from the start, once the job let go of the file.
            _ = try? readAhead.job.wait()
            do {
                try source.rewind()
            } catch {
                return try fail(file, input: input, reason: "cannot read the file: \(error)")
            }
        }
        do {
            reader = try InputOpener.reader(
                for: source, name: file.name, contentHash: hash, configuration: configuration)
        } catch {
            return try fail(file, input: input, reason: "\(error)")
        }
        return try run(
            ReadQueue(reader), file: file, input: input, source: source, runner: runner, first: nil, started: started,
            shouldStop: shouldStop)
    }

    /// Runs `input`'s documents through `runner`'s stages, those read and drafted by `first` first
    /// when given, and adds them to the batch.
    private func run(
        _ readQueue: ReadQueue, file: ClaimedFile, input: InputRecord, source: FileByteSource,
        runner: PipelineRunner, first: DraftJob?, started: ContinuousClock.Instant, shouldStop: () -> Bool
    ) throws -> Outcome {
        var input = input
        let added = Timestamp.now()
        // Where this input's documents start in the batch (the start, after a commit).
        var start = batch.end
        var nextUnit = input.unitsDone
        // Groups of units are read and drafted (the stages that depend on a document alone) by the
        // workers while the group before is settled here, one document at a time in input order,
        // and committed at batch boundaries as if the documents had come one by one.
        // Up to `groupsAhead` groups are read and drafted ahead, so the workers keep busy while a
        // batch is committed here.
        let (workers, resumeAfter) = (configuration.workers, input.unitsDone)
        // Groups still queued when this returns or throws are then read as empty.
        defer { readQueue.abandon() }
        var jobs = [first ?? DraftJob(readQueue, after: resumeAfter, runner: runner, workers: workers)]
        while true {
            let (group, drafts) = try jobs.removeFirst().wait()
            defer { readQueue.release(group) }
            while !group.ended && jobs.count < Self.groupsAhead {
                jobs.append(DraftJob(readQueue, after: resumeAfter, runner: runner, workers: workers))
            }
            var settled = drafts.makeIterator()
            for unit in group.units {
                switch unit {
                case .document:
                    batch.take(try runner.settle(settled.next()!, context: context), added: added)
                case .refused(let document, let reason, _):
                    batch.reject(document, reason: reason, added: added)
                case .url(let url, _):
                    batch.enqueue.append((url.description, url.origin))
                }
                nextUnit = unit.index + 1
                batch.units += 1
                if batch.units >= configuration.batchDocuments || batch.byteCount >= configuration.batchBytes {
                    input = try commit(progress(of: input, from: start, nextUnit: nextUnit))!
                    start = batch.end
                    let position = source.position()
                    board.update { $0.processingBytes = position }
                    if shouldStop() { return .interrupted }
                }
            }
            if let failure = group.failure {
                input = try commit(progress(of: input, from: start, nextUnit: nextUnit))!
                return try fail(file, input: input, reason: failure)
            }
            if group.ended { break }
        }
        var (done, span) = progress(of: input, from: start, nextUnit: nextUnit)
        done.state = .done
        batch.counters[Counter.filesDone, default: 0] += 1
        batch.inputBytes += input.size
        return try wait(
            PendingInput(
                file: file, input: done, span: span, outcome: .done(kept: done.kept, dropped: done.dropped),
                started: started))
    }

    /// `input` with the documents it has in the batch from `start` on (up to unit `nextUnit`).
    private func progress(of input: InputRecord, from start: Batch.Mark, nextUnit: Int) -> (
        InputRecord, Batch.Span
    ) {
        var input = input
        let span = Batch.Span(start: start, end: batch.end)
        input.unitsDone = max(input.unitsDone, nextUnit)
        input.kept += span.end.kept - start.kept
        input.dropped += span.end.dropped - start.dropped
        return (input, span)
    }

    /// Adds a finished file to the group, and commits the group once it is full or old enough, or
    /// once its lines fill a shard (so shards end where they would with a commit per file).
    private func wait(_ finished: PendingInput) throws -> Outcome {
        pending.append(finished)
        if pending.count >= Self.maxGroupFiles || ContinuousClock.now - pending[0].started >= Self.maxGroupWait
            || records.isFull(adding: batch.records.count) || rejected.isFull(adding: batch.rejected.count)
        {
            try commit(nil)
        }
        return .pending
    }

    /// Appends the batch to the shards (fsynced), then commits it in one transaction with the
    /// finished files of the group and `current` (an input's progress, or a fetched page); then
    /// archives the finished files. Returns `current` with its row id.
    @discardableResult
    private func commit(_ current: (input: InputRecord, span: Batch.Span)?) throws -> InputRecord? {
        guard batch.units > 0 || !pending.isEmpty || current != nil else { return current?.input }
        var counters = batch.counters
        counters[Counter.documentsKept, default: 0] += batch.end.kept
        let recordShards = try records.append(batch.records)
        let rejectedShards = try rejected.append(batch.rejected)
        // Each append went to the last shard it returns, ending at that shard's committed size.
        let recordBase = recordShards.last.map { ($0.name, $0.committedBytes - batch.records.count) }
        let rejectedBase = rejectedShards.last.map { ($0.name, $0.committedBytes - batch.rejected.count) }
        func extent(_ base: (String, Int)?, from: Int, to: Int) -> RecordExtent? {
            guard let (shard, offset) = base, to > from else { return nil }
            return RecordExtent(shard: shard, start: offset + from, end: offset + to)
        }
        func extents(_ span: Batch.Span) -> [RecordExtent] {
            [
                extent(recordBase, from: span.start.records, to: span.end.records),
                extent(rejectedBase, from: span.start.rejected, to: span.end.rejected),
            ].compactMap { $0 }
        }
        var inputs = pending.map { ($0.input, extents($0.span)) }
        if let current { inputs.append((current.input, extents(current.span))) }
        let last = inputs.removeLast()
        ledgerWrites += 1
        let id = try database.commit(
            CommitBatch(
                input: last.0, earlier: inputs, shards: recordShards + rejectedShards, exactKeys: batch.exactKeys,
                nearKeys: batch.nearKeys, lineKeys: batch.lineKeys, duplicates: batch.duplicates, counters: counters,
                enqueue: batch.enqueue, fetchCompletion: batch.fetchCompletion, extents: last.1))
        if !batch.enqueue.isEmpty || batch.fetchCompletion != nil { onFetchQueueChange() }
        board.add(counters: counters)
        board.update { $0.indexDocuments += batch.exactKeys.filter { $0.match.similarity == nil }.count }
        metrics.add(counters: counters)
        metrics.add(droppedLines: batch.droppedLines, inputBytes: batch.inputBytes)
        metrics.committed()
        publishShardSizes()
        try records.finishSealing()
        try rejected.finishSealing()
        context.clearPending()
        batch = Batch()
        let finished = pending
        pending = []
        for file in finished {
            onFinished(file.file, try finish(file.file, outcome: file.outcome), file.started)
        }
        guard var input = current?.input else { return nil }
        input.id = id
        return input
    }

    /// Runs a fetched page through the stages and commits its record (or rejection) in one
    /// transaction with the queue entry's `done`: after a crash before that commit the URL is
    /// fetched again, after it never. A body that is not text fails the fetch instead.
    func process(_ page: FetchedPage) throws -> Outcome {
        let entry = page.entry
        let response = page.response
        let hash = XXH3.hash128(Array(entry.url.utf8) + [0x0A] + response.body)
        let contentType = response.contentType ?? ""
        let mediaType = String(contentType.prefix { $0 != ";" }).lowercased().trimmingASCIIWhitespace()
        var document = Document(id: Document.makeID(sourceHash: hash, index: 0), text: "", source: .url)
        document.metadata["url"] = .string(entry.url)
        document.metadata["final_url"] = .string(response.finalURL)
        document.metadata["http_status"] = .int(response.status)
        if !contentType.isEmpty { document.metadata["content_type"] = .string(contentType) }
        document.metadata["fetched_at"] = .string(page.fetchedAt)
        document.metadata["bytes_in"] = .int(response.body.count)
        let isHTML =
            mediaType == "text/html" || mediaType == "application/xhtml+xml"
            || (mediaType.isEmpty && InputFormat.sniff(Array(response.body.prefix(InputFormat.sniffBytes))) == .html)
        document.format = isHTML ? .html : .text
        do {
            let charset = HTMLCharsetPrescan.charsetParameter(Array(contentType.utf8))
            let decoded = try TextDecoder.decode(response.body, declaredCharset: charset, html: isHTML)
            document.text = decoded.text
            document.recordDecoding(decoded)
        } catch {
            try database.finishFetch(
                entry.id, state: .failed, status: response.status, reason: "binary_content", error: "\(error)",
                finalURL: response.finalURL)
            logger.warning("fetch failed", metadata: ["url": "\(entry.url)", "reason": "binary_content"])
            onFetchQueueChange()
            return .failed("\(error)")
        }
        let input = InputRecord(
            name: entry.url, claimName: "fetch-\(entry.id)-\(entry.attempts + 1)", contentHash: "fetch:\(hash)",
            size: response.body.count, state: .done)
        return try droppingGroupOnFault {
            // Committed with the group of files before it, if any: one batch at a time.
            let start = batch.end
            batch.take(try runner.run(document, context: context), added: Timestamp.now())
            batch.units += 1
            batch.counters[Counter.fetchPages, default: 0] += 1
            batch.inputBytes += response.body.count
            batch.fetchCompletion = FetchCompletion(
                id: entry.id, status: response.status, finalURL: response.finalURL, etag: response.headers["etag"],
                lastModified: response.headers["last-modified"], recordID: document.id)
            let committed = try commit(progress(of: input, from: start, nextUnit: 1))!
            return .done(kept: committed.kept, dropped: committed.dropped)
        }
    }

    private func markDuplicate(
        _ file: ClaimedFile, size: Int, hash: Hash128, of kept: InputRecord, started: ContinuousClock.Instant
    ) throws -> Outcome {
        let input = InputRecord(
            name: file.name, claimName: file.claimName, contentHash: hash.description, size: size,
            state: .duplicate, duplicateOf: kept.id)
        batch.counters[Counter.filesDuplicate, default: 0] += 1
        let span = Batch.Span(start: batch.end, end: batch.end)
        return try wait(
            PendingInput(file: file, input: input, span: span, outcome: .duplicate(of: kept.name), started: started))
    }

    /// Moves the committed original out of `claimed/`: to `archive/`, or away.
    private func finish(_ file: ClaimedFile, outcome: Outcome) throws -> Outcome {
        switch configuration.afterProcessing {
        case .delete: try FileSystem.remove(file.path)
        case .archive: _ = try FileSystem.moveAside(file.path, into: layout.archive, name: file.name)
        }
        return outcome
    }

    /// Sets the file aside in `failed/` with `NAME.error.json` and records the failure.
    private func fail(_ file: ClaimedFile, input: InputRecord?, reason: String) throws -> Outcome {
        var input =
            input ?? InputRecord(name: file.name, claimName: file.claimName, contentHash: "", size: 0)
        try quarantine(file.path, input: &input, reason: reason)
        return .failed(reason)
    }

    /// How many starts in a row may resume a claimed file from the same commit point; the next
    /// one sets it aside instead.
    static let resumeLimit = 3

    /// Called for a file a previous run left in claimed/: counts the resume, and sets the file
    /// aside once the daemon has ended `resumeLimit` times in a row while processing it at the
    /// same place (a document that crashes it, or hangs it until the watchdog ends it). Returns
    /// whether to process the file.
    func admitResumed(_ file: ClaimedFile) throws -> Bool {
        let committed = try database.input(claimName: file.claimName)
        let unitsDone = committed?.unitsDone ?? 0
        let starts = try database.recordResume(claimName: file.claimName, unitsDone: unitsDone)
        guard starts >= Self.resumeLimit else { return true }
        var input = committed ?? InputRecord(name: file.name, claimName: file.claimName, contentHash: "", size: 0)
        input.name = file.name
        try quarantine(
            file.path, input: &input,
            reason: "winnowd ended \(starts) times in a row while processing this file, each time after "
                + "\(unitsDone) of its documents were committed (a crash, or a hang that the watchdog ended; "
                + "the journal has the details). The committed documents stay in the output; `winnowctl retry` "
                + "puts the file back once the cause is fixed")
        return false
    }

    /// Forgets resume counts of claims no longer in claimed/.
    func forgetResumes(except claimNames: Set<String>) throws {
        try database.forgetResumes(except: claimNames)
    }

    /// Sets aside an inbox entry that is not a regular file (never opened), and records it.
    func setAside(name: String, path: String, reason: String) throws {
        var input = InputRecord(name: name, claimName: "", contentHash: "", size: 0)
        try quarantine(path, input: &input, reason: reason)
    }

    private func quarantine(_ path: String, input: inout InputRecord, reason: String) throws {
        let target = try Quarantine.setAside(
            path, name: input.name, reason: reason, into: layout.failed,
            details: ["documents_committed": .int(input.unitsDone)])
        input.state = .failed
        input.error = reason
        input.failedPath = target
        let counters = [Counter.filesFailed: 1]
        ledgerWrites += 1
        do {
            try database.commit(CommitBatch(input: input, counters: counters))
        } catch {
            // Not recorded (the disk is full, say): put the file back so the retry finds it.
            Quarantine.undo(target, back: path)
            throw error
        }
        board.add(counters: counters)
        metrics.add(counters: counters)
        board.update { $0.lastError = "\(input.name): \(reason)" }
        logger.warning(
            "file failed", metadata: ["doc.file": "\(input.name)", "reason": "\(reason)", "moved_to": "\(target)"])
    }

}

/// A claimed file read ahead (`InputProcessor.readAhead`): opened, hashed, and its first group of
/// units being read and drafted on the workers by the stages in force then.
final class ReadAhead {
    fileprivate let source: FileByteSource
    fileprivate let size: Int
    fileprivate let hash: Hash128
    fileprivate let input: ReadQueue
    fileprivate let runner: PipelineRunner
    /// The processor's `ledgerWrites` when the ledger did not know the content.
    fileprivate let ledgerWrites: Int
    fileprivate let job: DraftJob

    fileprivate init(
        source: FileByteSource, size: Int, hash: Hash128, input: ReadQueue, runner: PipelineRunner,
        ledgerWrites: Int, job: DraftJob
    ) {
        self.source = source
        self.size = size
        self.hash = hash
        self.input = input
        self.runner = runner
        self.ledgerWrites = ledgerWrites
        self.job = job
    }
}

/// Units read ahead from an input, drafted together: at most `maxUnits` of them, or as many as hold
/// `maxBytes` of text (so a group of large documents stays small in memory).
fileprivate struct UnitGroup {
    static let maxUnits = 64
    static let maxBytes = 1 << 20

    private(set) var units: [InputUnit] = []
    private(set) var documents: [Document] = []
    /// The documents' text, in bytes.
    private(set) var bytes = 0
    /// The reader has no more units (or failed).
    private(set) var ended = false
    /// Why the input cannot be read further, when the reader said so after `units`.
    private(set) var failure: String?

    /// No units, and the input's end.
    init() {
        ended = true
    }

    /// Reads the next group, skipping units committed before (`index < unitsDone`); throws the
    /// faults of the machine.
    init(from reader: any DocumentReader, after unitsDone: Int) throws {
        do {
            while units.count < Self.maxUnits && bytes < Self.maxBytes {
                guard let unit = try reader.next() else {
                    ended = true
                    return
                }
                if unit.index < unitsDone { continue }
                if case .document(let document, _) = unit {
                    documents.append(document)
                    bytes += document.text.utf8.count
                }
                units.append(unit)
            }
        } catch let error as InputError {
            ended = true
            failure = "\(error)"
        } catch let error as InputRefusal {
            ended = true
            failure = error.description
        }
    }
}

/// The next group of an input's units, read and drafted off the ingest thread while it settles the
/// groups before; once done with those, the ingest thread drafts this group's remaining documents
/// too (each thread takes the next document not yet taken). The jobs of one input run in turn on
/// its `ReadQueue`, in the order they were made: each reads its group and drafts it there, with
/// `workers - 1` more threads; so the workers never take a core from the ingest thread, which
/// settles and commits every document and is the one a run waits for.
fileprivate final class DraftJob: @unchecked Sendable {
    private let runner: PipelineRunner
    private let workers: Int
    /// Signalled once the group is read (or failed to be).
    private let read = DispatchSemaphore(value: 0)
    /// Signalled by each worker once no document is left to take.
    private let drained = DispatchSemaphore(value: 0)
    private let next = Atomic<Int>(0)
    /// Written before `read` is signalled.
    private var group: Result<UnitGroup, any Error> = .failure(CancellationError())
    /// One slot per document, each written by the one thread that took it.
    private var drafts: UnsafeMutableBufferPointer<PipelineRunner.Draft?> = .init(start: nil, count: 0)

    init(_ input: ReadQueue, after unitsDone: Int, runner: PipelineRunner, workers: Int) {
        self.runner = runner
        self.workers = workers
        input.queue.async {
            self.group = Result { try input.nextGroup(after: unitsDone) }
            let count = (try? self.group.get())?.documents.count ?? 0
            self.drafts = .allocate(capacity: count)
            self.drafts.initialize(repeating: nil)
            self.read.signal()
            for _ in 1..<workers {
                DispatchQueue.global().async {
                    self.draftRemaining()
                    self.drained.signal()
                }
            }
            self.draftRemaining()
            self.drained.signal()
        }
    }

    deinit {
        drafts.deinitialize()
        drafts.deallocate()
    }

    /// Drafts documents of the group until none is left to take.
    private func draftRemaining() {
        guard case .success(let group) = group else { return }
        while true {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < group.documents.count else { return }
            drafts[index] = runner.draft(group.documents[index])
        }
    }

    /// The group and its documents' drafts (helping with the drafting until none is left); rethrows
    /// a fault of the machine met reading it.
    func wait() throws -> (UnitGroup, [PipelineRunner.Draft]) {
        read.wait()
        draftRemaining()
        for _ in 0..<workers { drained.wait() }
        return (try group.get(), drafts.map { $0! })
    }
}

/// An input's reader and the serial queue its groups are read and drafted on, one after the other.
/// Once a group ended the input (its end, a failure, a fault), the groups after it are empty.
///
/// A group is read only while the groups read and not yet settled hold less than `bytesAhead` of
/// text, so what is read ahead stays bounded whatever the documents' sizes (the overshoot is one
/// group: `UnitGroup.maxBytes` plus one document). The ingest thread waits only for the group it
/// settles next, whose reading never waits: every group before it was settled.
fileprivate final class ReadQueue: @unchecked Sendable {
    static let bytesAhead = 8 << 20

    let queue = DispatchQueue(label: "winnow.read")
    /// Used on `queue` only.
    private let reader: any DocumentReader
    private var ended = false
    /// Text read and not yet settled, and whether the input was abandoned (its groups then read
    /// as empty and never wait).
    private let budget = Mutex((ahead: 0, abandoned: false))
    /// Signalled at each release; a wait that finds the budget still spent waits again.
    private let released = DispatchSemaphore(value: 0)

    init(_ reader: any DocumentReader) {
        self.reader = reader
    }

    /// Reads the next group (on `queue`), once the groups ahead leave room for it.
    func nextGroup(after unitsDone: Int) throws -> UnitGroup {
        while !ended {
            let (ahead, abandoned) = budget.withLock { ($0.ahead, $0.abandoned) }
            if abandoned {
                ended = true
            } else if ahead < Self.bytesAhead {
                break
            } else {
                released.wait()
            }
        }
        guard !ended else { return UnitGroup() }
        do {
            let group = try UnitGroup(from: reader, after: unitsDone)
            ended = group.ended
            budget.withLock { $0.ahead += group.bytes }
            return group
        } catch {
            ended = true
            throw error
        }
    }

    /// `group` was settled: its text no longer counts against the budget.
    func release(_ group: UnitGroup) {
        guard group.bytes > 0 else { return }
        budget.withLock { $0.ahead -= group.bytes }
        released.signal()
    }

    /// No more groups will be settled: those not yet read are read as empty, at once.
    func abandon() {
        budget.withLock { $0.abandoned = true }
        released.signal()
    }
}

/// The output of the documents read since the last commit.
private struct Batch {
    var records: [UInt8] = []
    var rejected: [UInt8] = []
    var exactKeys: [(key: Hash128, match: ExactMatch)] = []
    var nearKeys: [(key: NearKey, documentID: String)] = []
    var lineKeys: [[UInt64]] = []
    var duplicates: [(keptID: String, copyID: String, near: Bool)] = []
    var enqueue: [(url: String, origin: String)] = []
    var fetchCompletion: FetchCompletion?
    var counters: [String: Int] = [:]
    /// Lines the batch's documents lost, by rule, and the bytes of the input it finishes (metrics
    /// only: neither is persisted).
    var droppedLines: [String: Int] = [:]
    var inputBytes = 0
    var units = 0
    private var kept = 0
    private var dropped = 0

    /// Where the batch ends so far: an input's documents lie between two such marks.
    var end: Mark { Mark(records: records.count, rejected: rejected.count, kept: kept, dropped: dropped) }

    /// A place in the batch: the bytes of records and rejections before it, and the documents
    /// kept and dropped.
    struct Mark {
        var records = 0
        var rejected = 0
        var kept = 0
        var dropped = 0
    }

    /// The stretch of the batch between two marks.
    struct Span {
        var start: Mark
        var end: Mark
    }

    var byteCount: Int { records.count + rejected.count }

    /// Adds what the stages made of a document: a record and its index keys, or a rejection.
    mutating func take(_ outcome: PipelineRunner.Outcome, added: String) {
        switch outcome {
        case .kept(let document):
            Record(document: document, added: added).appendJSONLine(to: &records)
            if let key = document.exactKey { exactKeys.append((key, ExactMatch(documentID: document.id))) }
            if let key = document.nearKey { nearKeys.append((key, document.id)) }
            if let keys = document.lineKeys { lineKeys.append(keys) }
            countDroppedLines(document)
            kept += 1
            count(document, kept: true, added: added)
        case .dropped(let dropped, let reason, _):
            reject(dropped, reason: reason, added: added)
        }
    }

    /// The statistics `winnowctl stats` reads, committed with the batch.
    private mutating func count(_ document: Document, kept: Bool, added: String) {
        let language = document.metadata["lang"]?.stringValue ?? "und"
        counters[Counter.statistic("lang", language, kept: kept), default: 0] += 1
        // Without a URL: the inbox folder the file was dropped in, or the inbox.
        let source =
            document.metadata["url"]?.stringValue.flatMap(Self.host) ?? document.inboxFolder.map { "inbox/" + $0 }
            ?? "inbox"
        counters[Counter.statistic("source", source, kept: kept), default: 0] += 1
        counters[Counter.statistic("hour", added.prefix(13), kept: kept), default: 0] += 1
        for (rule, lines) in document.droppedLines { counters[Counter.droppedLines(rule), default: 0] += lines }
    }

    /// The host of an http(s) URL, lowercased, without port or user.
    static func host(_ url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last?.split(separator: ":").first ?? ""
        return host.isEmpty ? nil : host.lowercased()
    }

    mutating func reject(_ document: Document, reason: DropReason, added: String) {
        if let kept = reason.details["duplicate_of"]?.stringValue {
            duplicates.append((kept, document.id, reason.code == "near_duplicate"))
        }
        if let key = document.exactKey, let match = ExactMatch(nearDuplicate: reason) {
            exactKeys.append((key, match))
        }
        Record(rejected: document, reason: reason, added: added).appendJSONLine(to: &rejected)
        countDroppedLines(document)
        counters[Counter.dropped(reason.code), default: 0] += 1
        count(document, kept: false, added: added)
        dropped += 1
    }

    private mutating func countDroppedLines(_ document: Document) {
        for (rule, count) in document.droppedLines { droppedLines[rule, default: 0] += count }
    }
}
