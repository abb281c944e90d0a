import Logging
import Synchronization
import WinnowCore
import WinnowIO

#if canImport(Glibc)
    import Glibc
#endif

/// The single thread that owns the inbox: it waits (in `poll`) for inotify events, control
/// requests and timers; settles, claims and processes files one at a time; and rescans the inbox at
/// start, after an inotify overflow, and periodically as a safety net.
final class IngestLoop: @unchecked Sendable {
    private struct Candidate {
        var status: EntryStatus
        var readyAt: ContinuousClock.Instant
        var discovered: Int
    }

    /// The inbox files seen and not yet taken, by name, with their total size kept as they change
    /// (the status shows both after every change, and a burst brings thousands).
    private struct Candidates {
        private(set) var byName: [String: Candidate] = [:]
        private(set) var bytes = 0

        subscript(name: String) -> Candidate? {
            get { byName[name] }
            set {
                bytes += (newValue?.status.size ?? 0) - (byName[name]?.status.size ?? 0)
                byName[name] = newValue
            }
        }

        var isEmpty: Bool { byName.isEmpty }
        var count: Int { byName.count }
    }

    private struct Flags {
        var stop = false
        var paused = false
    }

    private let configuration: Configuration
    private let layout: StateLayout
    private let processor: InputProcessor
    private let board: StatusBoard
    private let metrics: DaemonMetrics
    private let logger: Logger
    private let once: Bool
    private let wake: WakeSignal
    private let flags = Mutex(Flags())
    private var candidates = Candidates()
    /// Files whose claim failed, with their status then: skipped until they change.
    private var unclaimable: [String: EntryStatus] = [:]
    private var discoveries = 0
    private var claimCounter: UInt64 = 0
    private var watcher: InotifyWatcher?
    private let settle: Duration
    /// Set while the output's file system is full: intake stops, the file in hand stays claimed,
    /// and it is retried (with a growing delay up to `maxRetryDelay`) until a write succeeds.
    private var outOfSpace: (since: ContinuousClock.Instant, retryAt: ContinuousClock.Instant, delay: Duration)?
    static let maxRetryDelay: Duration = .seconds(5)
    /// Fetched pages waiting to go through the stages, delivered by the fetch loop.
    private let mailbox = Mutex<[FetchedPage]>([])
    private let pendingPages: PendingCount
    /// Whether the fetch queue still holds URLs to fetch (asked in `--once` mode before exiting).
    var fetchQueueBusy: () -> Bool = { false }
    /// Called once the inbox is watched and scanned and recovery is done (systemd's READY=1).
    var onReady: () -> Void = {}
    /// Beaten on every turn of the loop; the loop never sleeps longer than `maxWait`, so an idle
    /// daemon keeps beating (a quarter of the watchdog interval under systemd).
    var heartbeat: Heartbeat?
    var maxWait: Duration = .seconds(60)

    init(
        configuration: Configuration, layout: StateLayout, processor: InputProcessor, board: StatusBoard,
        metrics: DaemonMetrics, logger: Logger, once: Bool, pendingPages: PendingCount
    ) throws {
        self.pendingPages = pendingPages
        self.configuration = configuration
        self.layout = layout
        self.processor = processor
        self.board = board
        self.metrics = metrics
        self.logger = logger
        self.once = once
        self.wake = try WakeSignal()
        self.settle = .milliseconds(configuration.settleMilliseconds)
        processor.onFinished = { [weak self] file, outcome, started in
            self?.report(file, outcome, after: ContinuousClock.now - started)
        }
    }

    /// Asks the loop to stop after the file (or batch) in hand. Safe from any thread.
    func requestStop() {
        flags.withLock { $0.stop = true }
        wake.wake()
    }

    /// Pauses or resumes intake. Safe from any thread.
    func setPaused(_ paused: Bool) {
        flags.withLock { $0.paused = paused }
        board.update { $0.state = paused ? "paused" : "running" }
        wake.wake()
    }

    /// Hands a fetched page to the loop. Safe from any thread.
    func deliver(_ page: FetchedPage) {
        mailbox.withLock { $0.append(page) }
        wake.wake()
    }

    private var stopRequested: Bool { flags.withLock { $0.stop } }
    private var paused: Bool { flags.withLock { $0.paused } }

    /// Runs until asked to stop (or, with `once`, until the inbox is empty). Throws on faults of
    /// the machine.
    func run() throws {
        // Finishing what a previous run claimed is work like any other: the daemon is running.
        board.update { $0.state = self.paused ? "paused" : "running" }
        if !once {
            do {
                watcher = try InotifyWatcher(directory: layout.inbox)
            } catch {
                logger.warning(
                    "inotify watch unavailable, polling the inbox instead",
                    metadata: ["error": "\(error)", "interval_s": "\(pollingInterval)"])
                board.update { $0.watch = "polling" }
            }
        }
        scan(reason: "start")
        // Recovery is done (the shards were cut back before this loop started) and claimed files
        // are taken first below: ready to be told about new files.
        onReady()
        try resumeClaimed()
        var nextRescan = ContinuousClock.now + rescanInterval
        while !stopRequested {
            heartbeat?.beat()
            try retryIfDue()
            if !paused && outOfSpace == nil {
                try takeReadyFiles()
                try processFetchedPages()
            }
            if stopRequested { break }
            var fetching = false
            if once && candidates.isEmpty {
                scan(reason: "drain")
                fetching = !mailbox.withLock(\.isEmpty) || fetchQueueBusy()
                if candidates.isEmpty && !fetching { break }
            }
            let now = ContinuousClock.now
            // In --once mode the fetch loop's failures wake nobody: look again soon.
            var deadline = min(fetching ? min(nextRescan, now + .milliseconds(200)) : nextRescan, now + maxWait)
            if let outOfSpace {
                deadline = min(deadline, outOfSpace.retryAt)
            } else if !paused, let soonest = candidates.byName.values.map(\.readyAt).min() {
                deadline = min(deadline, soonest)
            }
            try waitForEvents(until: deadline, from: now)
            if ContinuousClock.now >= nextRescan {
                scan(reason: "periodic")
                nextRescan = ContinuousClock.now + rescanInterval
            }
        }
    }

    private var pollingInterval: Int { min(configuration.rescanIntervalSeconds, 2) }
    private var rescanInterval: Duration {
        .seconds(watcher == nil && !once ? pollingInterval : configuration.rescanIntervalSeconds)
    }

    /// Reprocesses what a previous run claimed but did not finish, oldest claim first.
    private func resumeClaimed() throws {
        let claims = try claimedFiles()
        try processor.forgetResumes(except: Set(claims.map(\.claimName)))
        for file in claims {
            if stopRequested { break }
            guard try processor.admitResumed(file) else { continue }
            logger.notice(
                "resuming a claimed file", metadata: ["doc.file": "\(file.name)", "claim": "\(file.claimName)"])
            guard try process(file) else { return }
        }
        try commitGroup()
    }

    /// Commits the files waiting in the processor's group. Returns false if that failed for want
    /// of space: they stay claimed, and are retried.
    @discardableResult
    private func commitGroup() throws -> Bool {
        do {
            try processor.commitGroup()
        } catch let error where StorageFault.isOutOfSpace(error) {
            try holdBack(error, workingOn: "the files of a group commit")
            return false
        }
        return true
    }

    /// The files in claimed/, oldest claim first.
    private func claimedFiles() throws -> [ClaimedFile] {
        try FileSystem.list(layout.claimed).sorted().map { claimName in
            ClaimedFile(
                name: ClaimedFile.name(claimName: claimName), claimName: claimName,
                path: layout.claimed + "/" + claimName)
        }
    }

    /// A write failed because a file system is full. The output is cut back to the last commit
    /// (the retry appends after whole lines), intake stops and the status says why; `--once`
    /// gives up instead, leaving the file claimed for the next run.
    private func holdBack(_ error: any Error, workingOn item: String) throws {
        if once { throw error }
        do {
            try processor.recoverOutput()
        } catch let failure where StorageFault.isOutOfSpace(failure) {
            // Cutting back frees space, so this is rare; the retry recovers first anyway.
        }
        let now = ContinuousClock.now
        let delay = min((outOfSpace?.delay ?? .milliseconds(250)) * 2, Self.maxRetryDelay)
        if outOfSpace == nil {
            logger.error(
                "out of disk space: intake paused until space is freed; the work in hand is kept and retried",
                metadata: ["doc.file": "\(item)", "error": "\(error)"])
        }
        outOfSpace = (outOfSpace?.since ?? now, now + delay, delay)
        let reason = "no space left on the output's file system (\(error)); intake paused, \(item) is kept and retried"
        board.update {
            $0.degraded["output"] = reason
            $0.lastError = reason
        }
    }

    /// While out of space: when the retry is due, recovers the output and takes up the claimed
    /// files and fetched pages again; intake resumes once they all went through.
    private func retryIfDue() throws {
        guard let held = outOfSpace, ContinuousClock.now >= held.retryAt else { return }
        do {
            try processor.recoverOutput()
        } catch let error where StorageFault.isOutOfSpace(error) {
            return try holdBack(error, workingOn: "the output")
        }
        for file in try claimedFiles() {
            if stopRequested {
                try commitGroup()
                return
            }
            guard try process(file) else { return }
        }
        guard try commitGroup(), try processFetchedPages() else { return }
        outOfSpace = nil
        board.update { $0.degraded["output"] = nil }
        let waited = ContinuousClock.now - held.since
        logger.notice("space available again, intake resumed", metadata: ["waited_s": "\(waited.components.seconds)"])
    }

    private func waitForEvents(until deadline: ContinuousClock.Instant, from now: ContinuousClock.Instant) throws {
        let remaining = deadline - now
        let milliseconds = max(
            0,
            min(
                Int(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000) + 1,
                60_000))
        var descriptors = [pollfd(fd: wake.descriptor, events: Int16(POLLIN), revents: 0)]
        if let watcher { descriptors.append(pollfd(fd: watcher.descriptor, events: Int16(POLLIN), revents: 0)) }
        _ = try syscall("poll") { poll(&descriptors, nfds_t(descriptors.count), Int32(milliseconds)) }
        wake.reset()
        guard let watcher else { return }
        for event in try watcher.drain() {
            switch event {
            case .closedAfterWrite(let name): note(name, readyAfter: settle)
            case .movedIn(let name): note(name, readyAfter: .zero)
            case .folderAppeared(let folder): scanFolder(folder)
            case .overflow:
                logger.warning("inotify queue overflowed, rescanning the inbox")
                board.update { $0.inotifyOverflows += 1 }
                metrics.inotifyOverflowed()
                scan(reason: "overflow")
            case .directoryGone:
                throw ConfigurationError("the inbox \(layout.inbox) was deleted or moved away")
            case .undecodableName: scan(reason: "a name that is not UTF-8")
            }
        }
    }

    /// Records every acceptable name in the inbox and in its folders as a candidate.
    private func scan(reason: String) {
        board.update { $0.rescans += 1 }
        metrics.rescanned()
        for name in listNames(layout.inbox) where candidates[name] == nil {
            guard let status = try? FileSystem.status(layout.inbox + "/" + name) else { continue }
            if status.kind == .directory {
                scanFolder(name)
            } else {
                note(name, status, readyAfter: settle)
            }
        }
        updatePending()
        logger.debug("inbox scanned", metadata: ["reason": "\(reason)", "pending": "\(candidates.count)"])
    }

    /// Watches the inbox folder `folder` (files in it are inputs like those at the top; its
    /// name is their source in `winnowctl stats`) and records its files as candidates.
    private func scanFolder(_ folder: String) {
        guard InboxName.accepts(folder) else { return }
        do {
            try watcher?.watchFolder(folder)
        } catch {
            logger.warning(
                "cannot watch an inbox folder; its files are found by the periodic rescan",
                metadata: ["folder": "\(folder)", "error": "\(error)"])
        }
        for name in listNames(layout.inbox + "/" + folder) where candidates[folder + "/" + name] == nil {
            note(folder + "/" + name, readyAfter: settle)
        }
    }

    /// The names in an inbox directory, renaming those that are not valid UTF-8.
    private func listNames(_ directory: String) -> [String] {
        do {
            return try FileSystem.listMakingNamesUTF8(directory) { old, new in
                logger.notice(
                    "renamed an inbox file whose name is not valid UTF-8", metadata: ["from": "\(old)", "to": "\(new)"])
            }
        } catch {
            logger.error("cannot list the inbox", metadata: ["directory": "\(directory)", "error": "\(error)"])
            return []
        }
    }

    /// The inbox's waiting files, and their bytes, in the status.
    private func updatePending() {
        let bytes = candidates.bytes
        board.update {
            $0.filesPending = candidates.count
            $0.bytesPending = bytes
        }
    }

    /// Records the inbox file `name` (`folder/name` in a folder) as a candidate, ready after `delay`.
    private func note(_ name: String, readyAfter delay: Duration) {
        guard let status = try? FileSystem.status(layout.inbox + "/" + name) else { return }
        note(name, status, readyAfter: delay)
    }

    private func note(_ name: String, _ status: EntryStatus, readyAfter delay: Duration) {
        guard InboxName.accepts(InboxName.fileName(of: name)) else { return }
        if status.kind == .directory || unclaimable[name] == status { return }
        unclaimable[name] = nil
        let readyAt = ContinuousClock.now + delay
        if var existing = candidates[name] {
            // A file that changed since it was noted must stay unchanged for a whole settle time
            // from now; a rename (delay zero) is complete at once.
            existing.readyAt = existing.status == status || delay == .zero ? min(existing.readyAt, readyAt) : readyAt
            existing.status = status
            candidates[name] = existing
        } else {
            discoveries += 1
            candidates[name] = Candidate(status: status, readyAt: readyAt, discovered: discoveries)
        }
        updatePending()
    }

    /// Claims and processes every candidate whose settle time has passed and that nobody is
    /// writing, then commits the group of small files that are left waiting.
    private func takeReadyFiles() throws {
        try claimReadyFiles()
        try commitGroup()
    }

    /// Claimed files read ahead of their turn (up to this many), so small files use both cores: enough
    /// that the workers still have files to draft while the ingest thread waits on a group commit's
    /// fsyncs (with 4, a burst of 2 KB files ran 10–25% slower: the workers ran dry during them).
    static let readAheadFiles = 16

    private func claimReadyFiles() throws {
        let now = ContinuousClock.now
        let ready = candidates.byName.filter { $0.value.readyAt <= now }.sorted {
            $0.value.discovered < $1.value.discovered
        }
        // Claimed and being read ahead; processed in claim order, even after a stop request.
        var ahead: [(ClaimedFile, ReadAhead?)] = []
        defer { updatePending() }
        for (name, candidate) in ready {
            if stopRequested || paused || outOfSpace != nil { break }
            let path = layout.inbox + "/" + name
            guard let status = try FileSystem.status(path) else {
                candidates[name] = nil
                continue
            }
            switch status.kind {
            case .regular: break
            case .directory:
                candidates[name] = nil
                continue
            case .symlink, .fifo, .socket, .device, .other:
                candidates[name] = nil
                do {
                    try setAside(name, kind: status.kind)
                } catch let error where StorageFault.isOutOfSpace(error) {
                    // The entry stays in the inbox and is noted again by the next scan; the files
                    // claimed ahead stay claimed, and are retried.
                    return try holdBack(error, workingOn: name)
                }
                continue
            }
            if status != candidate.status || FileSystem.isOpenForWriting(path) == true {
                // Still changing, or a writer still has it open: look again after another settle time.
                candidates[name]?.status = status
                candidates[name]?.readyAt = ContinuousClock.now + settle
                continue
            }
            candidates[name] = nil
            updatePending()
            claimCounter += 1
            let claimName = ClaimedFile.claimName(prefix: Self.claimPrefix(counter: claimCounter), name: name)
            let claimed = layout.claimed + "/" + claimName
            // The claim: one rename, so exactly one claimant wins, and a crash leaves the file in claimed/.
            do {
                guard try FileSystem.renameIfPresent(path, to: claimed) else { continue }
            } catch {
                // Not ours to move (say, a sticky inbox and another user's file): leave it where it
                // is, say so once, and look again only when it changes.
                unclaimable[name] = status
                logger.warning(
                    "cannot claim a file; it stays in the inbox",
                    metadata: [
                        "doc.file": "\(name)", "error": "\(error)",
                    ])
                board.update { $0.lastError = "\(name): cannot claim it: \(error)" }
                continue
            }
            let file = ClaimedFile(name: name, claimName: claimName, path: claimed)
            let readAhead = processor.readAhead(file)
            ahead.append((file, readAhead))
            // A file not read ahead (a large one) is taken now, after those before it: only small
            // files wait claimed.
            while ahead.count >= Self.readAheadFiles || (readAhead == nil && !ahead.isEmpty) {
                let (next, readAhead) = ahead.removeFirst()
                // Out of space: the files claimed ahead stay claimed, and are retried.
                guard try process(next, readAhead: readAhead) else { return }
            }
        }
        for (next, readAhead) in ahead {
            guard try process(next, readAhead: readAhead) else { return }
        }
    }

    /// Runs the fetched pages that arrived through the stages, one commit each. Returns false if
    /// a page could not be committed for want of space (it waits at the head of the mailbox).
    @discardableResult
    private func processFetchedPages() throws -> Bool {
        while !stopRequested && !paused {
            guard let page = mailbox.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { return true }
            board.update { $0.processing = page.entry.url }
            defer { board.update { $0.processing = nil } }
            let outcome: InputProcessor.Outcome
            do {
                outcome = try processor.process(page)
            } catch let error where StorageFault.isOutOfSpace(error) {
                mailbox.withLock { $0.insert(page, at: 0) }
                try holdBack(error, workingOn: page.entry.url)
                return false
            }
            pendingPages.add(-1, bytes: -page.response.body.count)
            if case .done(let kept, let dropped) = outcome {
                logger.info(
                    "page done",
                    metadata: [
                        "url": "\(page.entry.url)", "status": "\(page.response.status)", "kept": "\(kept)",
                        "dropped": "\(dropped)",
                    ])
            }
        }
        return true
    }

    /// Processes a claimed file; returns false if it stays claimed because a file system is full.
    private func process(_ file: ClaimedFile, readAhead: ReadAhead? = nil) throws -> Bool {
        board.update { $0.processing = file.name }
        defer { board.update { $0.processing = nil } }
        let started = ContinuousClock.now
        logger.debug("file taken", metadata: ["doc.file": "\(file.name)"])
        let outcome: InputProcessor.Outcome
        do {
            outcome = try processor.process(file, readAhead: readAhead) { self.stopRequested }
        } catch let error where StorageFault.isOutOfSpace(error) {
            try holdBack(error, workingOn: file.name)
            return false
        }
        report(file, outcome, after: ContinuousClock.now - started)
        return true
    }

    /// Logs what became of a file, `elapsed` after it was taken.
    private func report(_ file: ClaimedFile, _ outcome: InputProcessor.Outcome, after elapsed: Duration) {
        if outcome != .interrupted && outcome != .pending { metrics.fileFinished(after: elapsed) }
        let milliseconds = elapsed.inSeconds * 1000
        let duration = "\((milliseconds * 10).rounded() / 10)"
        switch outcome {
        case .done(let kept, let dropped):
            logger.info(
                "file done",
                metadata: ["doc.file": "\(file.name)", "kept": "\(kept)", "dropped": "\(dropped)", "ms": "\(duration)"])
        case .duplicate(let original):
            logger.info(
                "file is a duplicate of one already processed",
                metadata: ["doc.file": "\(file.name)", "duplicate_of": "\(original)"])
        case .failed, .pending:
            break
        case .interrupted:
            logger.notice(
                "file interrupted by shutdown, will resume at next start", metadata: ["doc.file": "\(file.name)"])
        }
    }

    private func setAside(_ name: String, kind: EntryKind) throws {
        let reason: String
        switch kind {
        case .symlink:
            reason = "it is a symbolic link; Winnow never follows links. Move or copy the file itself into the inbox"
        case .fifo: reason = "it is a named pipe (FIFO), not a file; write the data to a regular file and move that in"
        case .socket: reason = "it is a socket, not a file"
        default: reason = "it is a device or special file, not a regular file"
        }
        try processor.setAside(name: name, path: layout.inbox + "/" + name, reason: reason)
    }

    /// A prefix that keeps claims unique and in claim order: nanoseconds since the epoch, then a counter.
    private static func claimPrefix(counter: UInt64) -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let stamp = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
        let hex = String(stamp, radix: 16)
        let counterHex = String(counter, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
            + String(repeating: "0", count: max(0, 6 - counterHex.count)) + counterHex
    }
}
