import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import WinnowCore
import WinnowFetch
import WinnowIO
import WinnowStages
import WinnowStore
import WinnowText

#if canImport(Glibc)
    import Glibc
#endif

/// Builds the daemon from a configuration and runs it: recovery first (lock, database check, shard
/// truncation, claimed files), then the ingest loop and the control server as services in one
/// `ServiceGroup` that stops gracefully on SIGTERM and SIGINT.
public struct Daemon {
    public let configuration: Configuration
    public let once: Bool
    public let logger: Logger
    /// The file `configuration` was read from (re-read on reload), and what the command line
    /// changed in it (applied again over each reload).
    public let configurationFile: String?
    public let overrides: @Sendable (inout Configuration) -> Void
    /// With `once`: how often progress is logged when stderr is not a terminal.
    public var progressInterval: Duration = .seconds(10)

    public init(
        configuration: Configuration, once: Bool, logger: Logger, configurationFile: String? = nil,
        overrides: @escaping @Sendable (inout Configuration) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.once = once
        self.logger = logger
        self.configurationFile = configurationFile
        self.overrides = overrides
    }

    /// Runs until stopped (or, with `once`, until the inbox is empty).
    public func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        // A read lease (used to see whether a writer still has an inbox file open) is broken with
        // SIGIO, whose default action would end the process.
        signal(SIGIO, SIG_IGN)
        // First: the metrics backend must be in place before any stage timer or counter is made.
        let metrics = DaemonMetrics()
        let layout = StateLayout(configuration: configuration)
        try layout.create()
        let lock = try StateLock(path: layout.lock)
        defer { withExtendedLifetime(lock) {} }
        try Self.checkSameFileSystem(layout)

        func corrupt(_ detail: String) -> ConfigurationError {
            ConfigurationError(
                "the state database \(layout.database) is corrupt (\(detail)); "
                    + "stop, move it aside and restore it from a backup")
        }
        let database: WinnowDatabase
        // Opening checks the database and reads every index key: seconds at a million documents, and
        // longer once after an upgrade whose migration rewrites the index. Say so, and how long it took.
        logger.info("opening the state database", metadata: ["path": "\(layout.database)"])
        let opening = ContinuousClock.now
        do {
            database = try WinnowDatabase(path: layout.database, exactKeyVersion: ExactKey.version, checkAtOpen: true)
        } catch  where WinnowDatabase.isCorruption(error) {
            // Opening reads every index key (to build the filters), and may meet the damage first.
            throw corrupt("\(error)")
        }
        let openMilliseconds = ((ContinuousClock.now - opening).inSeconds * 1000).rounded()
        logger.info("state database open", metadata: ["ms": "\(Int(openMilliseconds))"])
        if let check = database.checkAtOpen, check != "ok" { throw corrupt("quick_check: \(check)") }
        // Index maintenance under way when the daemon stops is given up, and done again at the next start.
        defer { database.stopIndexMaintenance() }
        let versions = try Self.indexVersions(database, path: layout.database, logger: logger)
        let (records, rejected) = try InputProcessor.openOutput(
            configuration: configuration, layout: layout, database: database)
        for writer in [records, rejected] {
            let recovery = writer.recovery
            if recovery.truncatedBytes > 0 || !recovery.removedFiles.isEmpty {
                logger.notice(
                    "output recovered to the last commit",
                    metadata: [
                        "stream": "\(writer.stream)", "truncated_bytes": "\(recovery.truncatedBytes)",
                        "removed": "\(recovery.removedFiles.joined(separator: ","))",
                    ])
            }
            if !recovery.shortFiles.isEmpty {
                logger.error(
                    "output shards are shorter than committed: data was lost below the daemon",
                    metadata: ["stream": "\(writer.stream)", "files": "\(recovery.shortFiles.joined(separator: ","))"])
            }
        }

        let board = StatusBoard()
        let persisted = try database.counters()
        board.load(counters: persisted)
        metrics.add(counters: persisted)
        let indexed = try database.indexedDocuments()
        board.update { $0.indexDocuments = indexed }
        if let failure = try database.lastFailure() {
            board.update { $0.lastError = "\(failure.file): \(failure.error)" }
        }
        let environment = ProcessInfo.processInfo.environment
        let notifier = SystemdNotifier(environment: environment)
        let watchdog = SystemdNotifier.watchdogInterval(environment: environment)
        let heartbeat = Heartbeat()
        let runner = PipelineRunner(
            stages: try StageCatalog.stages(
                named: configuration.stages, settings: configuration.stageSettings, versions: versions),
            heartbeat: heartbeat)
        let processor = InputProcessor(
            configuration: configuration, layout: layout, database: database, runner: runner,
            records: records, rejected: rejected, board: board, metrics: metrics, logger: logger)
        CurlFetcher.initializeLibrary()
        let requeued = try database.requeueInterruptedFetches()
        if requeued > 0 {
            logger.notice("fetches interrupted by the last stop queued again", metadata: ["urls": "\(requeued)"])
        }
        let pendingPages = PendingCount()
        let loop = try IngestLoop(
            configuration: configuration, layout: layout, processor: processor, board: board,
            metrics: metrics, logger: logger, once: once, pendingPages: pendingPages)
        let fetch = try FetchService(
            configuration: configuration.fetch, database: database, board: board, metrics: metrics, logger: logger,
            pending: pendingPages, deliver: { loop.deliver($0) })
        processor.onFetchQueueChange = { fetch.wake() }
        loop.heartbeat = heartbeat
        if let watchdog { loop.maxWait = watchdog / 4 }
        loop.onReady = {
            notifier?.send(["READY=1", "STATUS=" + SystemdReporter.statusLine(board.snapshot())])
            logger.info("winnowd ready")
        }
        let reloader = Reloader(
            path: configurationFile, overrides: overrides, current: configuration, versions: versions,
            processor: processor, heartbeat: heartbeat, notifier: notifier, logger: logger)
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "winnowd.sighup"))
        hangup.setEventHandler { _ = try? reloader.reload() }
        hangup.resume()
        defer { hangup.cancel() }
        loop.fetchQueueBusy = {
            let counts = (try? database.fetchQueueCounts()) ?? [:]
            return counts[.queued, default: 0] + counts[.fetching, default: 0] > 0
        }
        let exposition: @Sendable () -> [UInt8] = {
            metrics.exposition(board.snapshot(), pendingPages: pendingPages.value)
        }
        let api = ControlAPI(
            board: board, inbox: layout.inbox, database: layout.database, setPaused: { loop.setPaused($0) },
            dupes: DupesCheck(
                configuration: configuration, versions: versions, database: database, scratch: layout.state),
            fetchQueue: FetchQueueControl(database: database, wake: { fetch.wake() }),
            failedFiles: FailedFilesControl(database: database, inbox: layout.inbox),
            stats: StatsReport(database: database), lookup: RecordLookup(database: database, output: layout.output),
            reload: { () throws(ConfigurationError) -> String in try reloader.reload() },
            metrics: exposition)
        let control = try ControlServer(
            path: configuration.socketPath, group: configuration.socketGroup, logger: logger,
            handler: { api.handle($0) })
        var extra: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if once {
            let progress = try ProgressReporter(board: board, logger: logger, interval: progressInterval)
            extra.append(.init(service: ThreadService(name: "progress", body: progress.run, stop: progress.stop)))
        }
        if let address = configuration.metricsListen {
            let listener = try ControlServer(
                address: address, logger: logger,
                handler: { request in
                    ControlAPI.metricsOnly(request, metrics: exposition)
                })
            extra.append(.init(service: ThreadService(name: "metrics", body: listener.run, stop: listener.stop)))
            logger.info("serving metrics over TCP", metadata: ["address": "\(address)"])
        }

        logger.info(
            "winnowd started",
            metadata: [
                "inbox": "\(layout.inbox)", "output": "\(layout.output)", "state": "\(layout.state)",
                "socket": "\(configuration.socketPath)", "mode": "\(once ? "once" : "watch")",
            ])
        if let notifier {
            let reporter = try SystemdReporter(
                notifier: notifier, board: board, heartbeat: heartbeat, watchdog: watchdog)
            extra.append(.init(service: ThreadService(name: "systemd", body: reporter.run, stop: reporter.stop)))
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: extra + [
                    .init(service: ThreadService(name: "control", body: control.run, stop: control.stop)),
                    .init(service: ThreadService(name: "fetch", body: fetch.run, stop: fetch.requestStop)),
                    .init(
                        service: ThreadService(
                            name: "ingest", body: loop.run,
                            stop: {
                                notifier?.send(["STOPPING=1"])
                                loop.requestStop()
                            }),
                        successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        let status = board.snapshot()
        logger.info(
            "winnowd stopped",
            metadata: [
                "files_done": "\(status.filesDone)", "documents_kept": "\(status.documentsKept)",
                "documents_dropped": "\(status.documentsDropped)", "files_failed": "\(status.filesFailed)",
            ])
    }

    /// The versions the dedup stages compute for the database's indexes: a new index takes the
    /// current ones (and records them), an existing one keeps its own, so that what it holds still
    /// matches what new documents are compared by.
    private static func indexVersions(_ database: WinnowDatabase, path: String, logger: Logger) throws
        -> IndexVersions
    {
        let stored = try database.adoptNearSignatureVersion(MinHasher.Version.current.rawValue)
        guard let version = MinHasher.Version(rawValue: stored) else {
            let known = MinHasher.Version.allCases.map { "\($0.rawValue)" }.joined(separator: ", ")
            throw ConfigurationError(
                "the state database \(path) holds near-duplicate signatures of version \(stored), which this "
                    + "winnowd does not compute (it knows \(known)); run the newer winnowd that wrote them")
        }
        if version != .current {
            logger.notice(
                "the near-duplicate index keeps the signatures it was built with",
                metadata: [
                    "signature_version": "\(version.rawValue)",
                    "new_index_version": "\(MinHasher.Version.current.rawValue)",
                ])
        }
        return IndexVersions(nearSignature: version)
    }

    /// Claims are renames from the inbox into the state directory, which only work on one file system.
    private static func checkSameFileSystem(_ layout: StateLayout) throws {
        guard let inbox = try FileSystem.status(layout.inbox), let claimed = try FileSystem.status(layout.claimed),
            inbox.device != claimed.device
        else { return }
        throw ConfigurationError(
            "the inbox \(layout.inbox) and the state directory \(layout.state) are on different "
                + "file systems; files are claimed by rename, so put them on the same one")
    }
}
