import Synchronization
import WinnowCore

/// The daemon's live status, written by the ingest loop and read by the control server.
public final class StatusBoard: Sendable {
    /// A consistent copy of the status.
    public struct Snapshot: Sendable {
        public var state = "starting"
        public var startedAt = Timestamp.now()
        public var startedUptime = ContinuousClock.now
        public var watch = "inotify"
        public var filesPending = 0
        /// Bytes of the files waiting in the inbox.
        public var bytesPending = 0
        public var processing: String?
        /// Of the input in hand: bytes read up to its last commit, and its size.
        public var processingBytes = 0
        public var processingSize = 0
        /// Bytes of the files finished since start (done, duplicate or failed).
        public var inputBytes = 0
        public var filesDone = 0
        public var filesFailed = 0
        public var filesDuplicate = 0
        public var documentsKept = 0
        public var droppedByReason: [String: Int] = [:]
        public var rescans = 0
        /// Times the inotify queue overflowed (each followed by a rescan).
        public var inotifyOverflows = 0
        /// Kept documents in the dedup index (each has an exact key).
        public var indexDocuments = 0
        public var lastError: String?
        /// The fetch queue: URLs waiting, done and failed (as last read), transfers in flight, and
        /// what the fetcher did since start (`fetch.retried`, `fetch.failed`, `fetch.not_modified`, `fetch.pages`).
        public var fetchQueued = 0
        public var fetchDone = 0
        public var fetchFailed = 0
        public var fetchActive = 0
        public var fetchEvents: [String: Int] = [:]
        /// Why parts of the daemon are held back, by part (`output`, `fetch`): set while a file
        /// system is full, cleared by the retry that succeeds.
        public var degraded: [String: String] = [:]

        public var documentsDropped: Int { droppedByReason.values.reduce(0, +) }
        /// `degraded` while any part is held back, else `state`.
        public var displayState: String { degraded.isEmpty ? state : "degraded" }
    }

    private let storage = Mutex(Snapshot())

    public init() {}

    /// A copy of the current status.
    public func snapshot() -> Snapshot {
        storage.withLock { $0 }
    }

    /// Changes the status under the lock.
    public func update(_ body: (inout Snapshot) -> Void) {
        storage.withLock { body(&$0) }
    }

    /// Loads the persisted counters (names as in `Counter`).
    public func load(counters: [String: Int]) {
        update { status in
            status.filesDone = counters[Counter.filesDone] ?? 0
            status.filesFailed = counters[Counter.filesFailed] ?? 0
            status.filesDuplicate = counters[Counter.filesDuplicate] ?? 0
            status.documentsKept = counters[Counter.documentsKept] ?? 0
            status.droppedByReason = [:]
            for (name, value) in counters where name.hasPrefix(Counter.droppedPrefix) {
                status.droppedByReason[String(name.dropFirst(Counter.droppedPrefix.count))] = value
            }
        }
    }

    /// Adds committed counter increments.
    public func add(counters: [String: Int]) {
        update { status in
            for (name, delta) in counters {
                switch name {
                case Counter.filesDone: status.filesDone += delta
                case Counter.filesFailed: status.filesFailed += delta
                case Counter.filesDuplicate: status.filesDuplicate += delta
                case Counter.documentsKept: status.documentsKept += delta
                default:
                    if name.hasPrefix(Counter.fetchPrefix) { status.fetchEvents[name, default: 0] += delta }
                    if name.hasPrefix(Counter.droppedPrefix) {
                        status.droppedByReason[String(name.dropFirst(Counter.droppedPrefix.count)), default: 0] += delta
                    }
                }
            }
        }
    }
}

/// Names of the persisted counters.
public enum Counter {
    public static let filesDone = "files.done"
    public static let filesFailed = "files.failed"
    public static let filesDuplicate = "files.duplicate"
    public static let documentsKept = "documents.kept"
    public static let droppedPrefix = "documents.dropped."
    /// Fetch events, counted since start (not persisted: the queue itself is).
    public static let fetchPrefix = "fetch."
    public static let fetchPages = "fetch.pages"
    public static let fetchRetried = "fetch.retried"
    public static let fetchFailed = "fetch.failed"
    public static let fetchNotModified = "fetch.not_modified"

    public static func dropped(_ reason: String) -> String { droppedPrefix + reason }

    /// Kept with each commit for `winnowctl stats`: documents kept and dropped by language, by
    /// source (a URL's host, else `inbox`) and by UTC hour, and removed lines by rule.
    public static let statsPrefix = "stats."
    static func statistic(_ dimension: String, _ value: some StringProtocol, kept: Bool) -> String {
        "stats.\(dimension).\(kept ? "kept" : "dropped").\(value)"
    }
    static func droppedLines(_ rule: String) -> String { "stats.lines_dropped." + rule }
}
