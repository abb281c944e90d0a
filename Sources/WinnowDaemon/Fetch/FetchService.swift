import Logging
import Synchronization
import WinnowCore
import WinnowFetch
import WinnowStore

#if canImport(Glibc)
    import Glibc
#endif

/// A page fetched with a successful answer, on its way to the ingest loop, which runs it through
/// the stages and commits its record together with the queue entry's `done`.
struct FetchedPage: Sendable {
    var entry: FetchQueueEntry
    var response: FetchResponse
    var fetchedAt: String
}

/// How many fetched pages (and bytes of them) wait for the ingest loop: raised by the fetch loop,
/// lowered by the ingest loop once a page is committed, so fetching pauses while the pipeline is
/// behind and the memory pages wait in stays bounded.
final class PendingCount: Sendable {
    private let count = Atomic<Int>(0)
    private let byteCount = Atomic<Int>(0)

    var value: Int { count.load(ordering: .relaxed) }
    var bytes: Int { byteCount.load(ordering: .relaxed) }

    func add(_ delta: Int, bytes: Int) {
        count.add(delta, ordering: .relaxed)
        byteCount.add(bytes, ordering: .relaxed)
    }
}

/// The fetch loop, on its own thread: it takes due URLs from the persistent queue, keeps to the
/// global and per-origin limits and delays, gets and obeys each origin's robots.txt, runs the
/// transfers through one `CurlFetcher`, and decides what each answer means: a page for the ingest
/// loop, a retry later (timeouts, 5xx, 429/503 with `Retry-After`), or a failure with a reason.
final class FetchService: @unchecked Sendable {
    private struct Origin {
        var active = 0
        var nextStart = 0.0
        var robots: (rules: RobotsRules, until: Double)?
        var robotsInFlight = false
    }

    private let configuration: FetchConfiguration
    private let database: WinnowDatabase
    private let fetcher: CurlFetcher
    private let board: StatusBoard
    private let metrics: DaemonMetrics
    private let logger: Logger
    private let deliver: @Sendable (FetchedPage) -> Void
    /// Pages handed to the ingest loop and not yet committed (shared with it).
    private let pending: PendingCount
    private let stop = Atomic<Bool>(false)
    private let poke = Atomic<Bool>(false)
    private var origins: [String: Origin] = [:]
    /// Queue entries being fetched, by id; robots.txt transfers by their negative id.
    private var active: [Int64: FetchQueueEntry] = [:]
    private var robotsTransfers: [Int64: String] = [:]
    private var nextRobotsID: Int64 = -1
    private var due: [FetchQueueEntry] = []
    /// Whether a full disk holds fetching back (said once in the status and the journal).
    private var heldBack = false
    /// Finished transfers whose outcome the queue could not record yet (its disk was full).
    private var postponed: [(request: FetchRequest, result: Result<FetchResponse, FetchFailure>)] = []
    private var nextRefill = 0.0

    /// How many pages, and bytes of them, may wait for the ingest loop before no new transfer
    /// starts. With the transfers in flight (each capped at `max_body_bytes`) this bounds the
    /// memory fetching holds.
    static let maxPendingPages = 32
    static let maxPendingBytes = 64 << 20

    init(
        configuration: FetchConfiguration, database: WinnowDatabase, board: StatusBoard, metrics: DaemonMetrics,
        logger: Logger, pending: PendingCount, deliver: @escaping @Sendable (FetchedPage) -> Void
    ) throws {
        self.configuration = configuration
        self.database = database
        self.board = board
        self.metrics = metrics
        self.logger = logger
        self.pending = pending
        self.deliver = deliver
        fetcher = try CurlFetcher(settings: configuration.transfer)
    }

    /// Asks the loop to stop; transfers in flight are abandoned (their entries are queued again at
    /// the next start). Safe from any thread.
    func requestStop() {
        stop.store(true, ordering: .relaxed)
        fetcher.wake()
    }

    /// New URLs were queued, or a page was committed: look at the queue again now. Safe from any thread.
    func wake() {
        poke.store(true, ordering: .relaxed)
        fetcher.wake()
    }

    func run() throws {
        while !stop.load(ordering: .relaxed) {
            let now = Timestamp.unixNow()
            do {
                // Finished transfers whose outcome could not be recorded go first; until they are,
                // no new transfer starts.
                while let transfer = postponed.first {
                    try handle(transfer.request, transfer.result)
                    postponed.removeFirst()
                }
                if poke.exchange(false, ordering: .relaxed) || now >= nextRefill { try refill(now) }
                try startTransfers(now)
                if heldBack {
                    heldBack = false
                    board.update { $0.degraded["fetch"] = nil }
                    logger.notice("space available again, fetching resumed")
                }
            } catch let error where StorageFault.isOutOfSpace(error) {
                holdBack(error)
            }
            board.update { $0.fetchActive = self.active.count }
            let wait = postponed.isEmpty ? min(1.0, max(0.005, nextEvent(after: now) - now)) : 1.0
            let finished = fetcher.poll(timeout: .milliseconds(Int(wait * 1000)))
            for transfer in finished {
                do {
                    try handle(transfer.request, transfer.result)
                } catch let error where StorageFault.isOutOfSpace(error) {
                    postponed.append(transfer)
                    holdBack(error)
                }
            }
            if !finished.isEmpty { try updateCounts() }
        }
    }

    /// A write to the queue failed for want of space: say so once, and try again each second.
    private func holdBack(_ error: any Error) {
        guard !heldBack else { return }
        heldBack = true
        let reason = "no space left for the fetch queue (\(error)); fetching waits until space is freed"
        board.update {
            $0.degraded["fetch"] = reason
            $0.lastError = reason
        }
        logger.error("out of disk space, fetching paused", metadata: ["error": "\(error)"])
    }

    /// Reads the due part of the queue (entries not already in flight).
    private func refill(_ now: Double) throws {
        due = try database.dueFetches(now: now, limit: 1000).filter { active[$0.id] == nil }
        let next = try database.nextFetchDue() ?? (now + 60)
        nextRefill = due.isEmpty ? min(now + 60, max(now + 0.05, next)) : now + 1
        try updateCounts()
    }

    /// The queue's counts in the status board.
    private func updateCounts() throws {
        let counts = try database.fetchQueueCounts()
        board.update {
            $0.fetchQueued = counts[.queued, default: 0]
            $0.fetchFailed = counts[.failed, default: 0]
            $0.fetchDone = counts[.done, default: 0]
        }
    }

    /// When the loop next has something to do without being woken: an origin's delay ending.
    private func nextEvent(after now: Double) -> Double {
        var next = nextRefill
        for entry in due.prefix(64) {
            if let origin = origins[entry.origin], origin.nextStart > now { next = min(next, origin.nextStart) }
        }
        return next
    }

    private func startTransfers(_ now: Double) throws {
        var remaining: [FetchQueueEntry] = []
        for entry in due {
            guard fetcher.activeCount < configuration.transfer.maxConnections,
                pending.value < Self.maxPendingPages, pending.bytes < Self.maxPendingBytes
            else {
                remaining.append(entry)
                continue
            }
            var origin = origins[entry.origin] ?? Origin()
            defer { origins[entry.origin] = origin }
            guard origin.active < configuration.perHostConnections, origin.nextStart <= now else {
                remaining.append(entry)
                continue
            }
            if configuration.robots {
                guard let rules = try robotsRules(for: entry, origin: &origin, now: now) else {
                    remaining.append(entry)
                    continue
                }
                let target = (try? FetchURL(entry.url))?.target ?? "/"
                if !rules.allows(target) {
                    try fail(
                        entry, reason: "robots_denied", status: nil,
                        error: "robots.txt of \(entry.origin) disallows \(target)")
                    continue
                }
            }
            guard origin.active < configuration.perHostConnections, origin.nextStart <= now else {
                remaining.append(entry)
                continue
            }
            try database.markFetching(entry.id)
            origin.active += 1
            origin.nextStart = now + Double(configuration.perHostDelayMilliseconds) / 1000
            active[entry.id] = entry
            fetcher.start(
                FetchRequest(id: entry.id, url: entry.url, etag: entry.etag, lastModified: entry.lastModified))
        }
        due = remaining
    }

    /// The origin's robots rules when known and fresh; else starts fetching robots.txt (once) and
    /// returns nil, so the entry waits.
    private func robotsRules(for entry: FetchQueueEntry, origin: inout Origin, now: Double) throws -> RobotsRules? {
        if let known = origin.robots, known.until > now { return known.rules }
        if origin.robots == nil, let cached = try database.robots(of: entry.origin),
            cached.fetchedAt + Double(configuration.robotsCacheSeconds) > now
        {
            let rules = Self.rules(status: cached.status, text: cached.text, agent: configuration.robotsAgent)
            origin.robots = (rules, cached.fetchedAt + Double(configuration.robotsCacheSeconds))
            return rules
        }
        guard !origin.robotsInFlight, origin.nextStart <= now else { return nil }
        origin.robotsInFlight = true
        origin.active += 1
        origin.nextStart = now + Double(configuration.perHostDelayMilliseconds) / 1000
        let id = nextRobotsID
        nextRobotsID -= 1
        robotsTransfers[id] = entry.origin
        fetcher.start(FetchRequest(id: id, url: entry.origin + "/robots.txt", maxBodyBytes: 512 << 10))
        return nil
    }

    /// RFC 9309: a 2xx robots.txt is obeyed, a 4xx means no rules.
    private static func rules(status: Int, text: String, agent: String) -> RobotsRules {
        (200...299).contains(status) ? RobotsRules(parsing: text, agent: agent) : .allowAll
    }

    private func handle(_ request: FetchRequest, _ result: Result<FetchResponse, FetchFailure>) throws {
        let now = Timestamp.unixNow()
        // Each transfer is forgotten only once its outcome is recorded, so a write that fails
        // (a full disk) can be tried again with the same transfer.
        if let originName = robotsTransfers[request.id] {
            var origin = origins[originName] ?? Origin()
            origin.active -= 1
            origin.robotsInFlight = false
            switch result {
            case .success(let response) where response.status < 500:
                let text = String(decoding: response.body, as: UTF8.self)
                try database.saveRobots(of: originName, fetchedAt: now, status: response.status, text: text)
                let rules = Self.rules(status: response.status, text: text, agent: configuration.robotsAgent)
                origin.robots = (rules, now + Double(configuration.robotsCacheSeconds))
            case .failure(let failure) where failure.kind == .blockedAddress:
                // The origin is refused anyway: let its URLs fail with that reason, not wait for rules.
                origin.robots = (.allowAll, now + 60)
            default:
                // Unreachable or a 5xx: RFC 9309 says assume everything disallowed, so the URLs
                // wait (not fail) and robots.txt is asked again in a minute.
                for entry in due where entry.origin == originName {
                    try database.rescheduleFetch(
                        entry.id, at: now + 60, status: nil, error: "robots.txt of \(originName) unavailable",
                        countAttempt: false)
                }
                due.removeAll { $0.origin == originName }
                origin.robots = nil
                origin.nextStart = now + 60
            }
            origins[originName] = origin
            robotsTransfers[request.id] = nil
            return
        }
        guard let entry = active[request.id] else { return }
        let attempts = entry.attempts + 1
        switch result {
        case .failure(let failure):
            if failure.isTransient && attempts < configuration.maxAttempts {
                try retry(entry, attempts: attempts, status: nil, error: failure.message, after: nil, now: now)
            } else {
                try fail(entry, reason: failure.kind.rawValue, status: nil, error: failure.message)
            }
        case .success(let response):
            try answer(entry, response, attempts: attempts, now: now)
        }
        // Counted once the outcome is recorded (or the page handed on): a write that failed for
        // want of space brings the same transfer back here.
        metrics.fetched(status: try? result.get().status)
        active[request.id] = nil
        origins[entry.origin]?.active -= 1
    }

    private func answer(_ entry: FetchQueueEntry, _ response: FetchResponse, attempts: Int, now: Double) throws {
        switch response.status {
        case 200...299:
            if let type = response.contentType, !Self.isText(type) {
                try fail(
                    entry, reason: "unsupported_content_type", status: response.status,
                    error: "the content type \(type) is not text or HTML")
                return
            }
            pending.add(1, bytes: response.body.count)
            deliver(FetchedPage(entry: entry, response: response, fetchedAt: Timestamp.now()))
        case 304:
            try database.finishFetch(entry.id, state: .done, status: 304, reason: nil, error: nil)
            board.add(counters: [Counter.fetchNotModified: 1])
            logger.debug("not modified", metadata: ["url": "\(entry.url)"])
        case 408, 429, 500...599:
            let error = "HTTP \(response.status)"
            if attempts < configuration.maxAttempts {
                let after = response.headers["retry-after"].flatMap { Self.retryAfter($0, now: now) }
                try retry(entry, attempts: attempts, status: response.status, error: error, after: after, now: now)
            } else {
                try fail(entry, reason: "http_\(response.status)", status: response.status, error: error)
            }
        default:
            try fail(
                entry, reason: "http_\(response.status)", status: response.status,
                error: "HTTP \(response.status) from \(response.finalURL)")
        }
    }

    private func retry(
        _ entry: FetchQueueEntry, attempts: Int, status: Int?, error: String, after: Double?, now: Double
    ) throws {
        let base = Double(configuration.backoffBaseMilliseconds) / 1000
        let exponential = min(
            Double(configuration.backoffMaxMilliseconds) / 1000, base * Double(1 << min(30, attempts - 1)))
        let wait = after ?? exponential * Double.random(in: 0.5...1.5)
        try database.rescheduleFetch(entry.id, at: now + wait, status: status, error: error)
        board.add(counters: [Counter.fetchRetried: 1])
        logger.info(
            "fetch will be retried",
            metadata: [
                "url": "\(entry.url)", "error": "\(error)", "attempt": "\(attempts)",
                "retry_in_s": "\((wait * 10).rounded() / 10)",
            ])
        nextRefill = min(nextRefill, now + wait)
    }

    private func fail(_ entry: FetchQueueEntry, reason: String, status: Int?, error: String) throws {
        try database.finishFetch(entry.id, state: .failed, status: status, reason: reason, error: error)
        board.add(counters: [Counter.fetchFailed: 1])
        board.update { $0.lastError = "\(entry.url): \(error)" }
        logger.warning("fetch failed", metadata: ["url": "\(entry.url)", "reason": "\(reason)", "error": "\(error)"])
    }

    /// Seconds from now a `Retry-After` value asks for: delta-seconds, or an HTTP date.
    static func retryAfter(_ value: String, now: Double) -> Double? {
        if let seconds = Int(value.trimmingASCIIWhitespace()) { return Double(max(0, seconds)) }
        // IMF-fixdate, the one form servers send: "Sun, 06 Nov 1994 08:49:37 GMT".
        let fields = value.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard fields.count == 6, fields[5] == "GMT", let day = Int32(fields[1]),
            let month = months.firstIndex(of: String(fields[2])), let year = Int32(fields[3])
        else { return nil }
        let clock = fields[4].split(separator: ":").compactMap { Int32($0) }
        guard clock.count == 3 else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = Int32(month)
        parts.tm_mday = day
        parts.tm_hour = clock[0]
        parts.tm_min = clock[1]
        parts.tm_sec = clock[2]
        return max(0, Double(timegm(&parts)) - now)
    }

    /// Whether a `Content-Type` is one the pipeline reads (HTML, XHTML, plain or other text).
    static func isText(_ contentType: String) -> Bool {
        let type = String(contentType.prefix { $0 != ";" }).lowercased().trimmingASCIIWhitespace()
        return type.hasPrefix("text/") || type == "application/xhtml+xml" || type.isEmpty
    }
}
