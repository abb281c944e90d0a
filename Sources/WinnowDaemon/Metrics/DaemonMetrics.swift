import CoreMetrics
import Metrics
import Prometheus
import Synchronization

/// The daemon's Prometheus metrics (`GET /metrics`, docs/operations.md lists them), kept with
/// swift-metrics over swift-prometheus. Counters are raised only after the ledger commit that
/// records what they count, at the same places as `StatusBoard.add(counters:)`, so they agree with
/// `winnowctl status`; they start from the persisted totals. Gauges that mirror the status board
/// are read from it when the metrics are served.
final class DaemonMetrics: Sendable {
    /// The registry behind every swift-metrics object in the process. The metrics system takes
    /// one backend per process, so it is bootstrapped here, once, on first use.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            // From a one-line file (about a millisecond with its two fsyncs) to a multi-gigabyte dump.
            Name.fileDuration: [
                1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 120_000, 600_000,
            ]
            .map { Duration.microseconds(Int64($0 * 1000)) },
            // One document in one stage: microseconds for the normalizers, milliseconds for HTML extraction.
            Name.stageDuration: [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 25_000, 100_000, 1_000_000]
                .map { Duration.microseconds($0) },
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// The metric names (`winnow_<noun>_<unit>_total` for counters).
    enum Name {
        static let files = "winnow_files_total"
        static let documents = "winnow_documents_total"
        static let droppedLines = "winnow_dropped_lines_total"
        static let fetches = "winnow_fetches_total"
        static let inputBytes = "winnow_input_bytes_total"
        static let rescans = "winnow_rescans_total"
        static let commits = "winnow_commits_total"
        static let inotifyOverflows = "winnow_inotify_overflows_total"
        static let fileDuration = "winnow_file_duration_seconds"
        static let stageDuration = "winnow_stage_duration_seconds"
        static let filesPending = "winnow_inbox_files_pending"
        static let fetchQueued = "winnow_fetch_queued_urls"
        static let fetchActive = "winnow_fetch_active_transfers"
        static let pagesWaiting = "winnow_fetched_pages_waiting"
        static let indexDocuments = "winnow_index_documents"
        static let shardBytes = "winnow_open_shard_bytes"
        static let degraded = "winnow_degraded"
    }

    /// Each metric's `# HELP` text (swift-metrics has no place for one, so it is added on output).
    static let help: [String: String] = [
        Name.files: "Inputs finished, by outcome (done, failed, duplicate).",
        Name.documents: "Documents committed, by outcome (kept, dropped) and drop reason (empty when kept).",
        Name.droppedLines: "Lines removed from committed documents, by the rule that removed them (since start).",
        Name.fetches: "Page fetches answered, by HTTP status class, or error when there was no answer (since start).",
        Name.inputBytes: "Bytes of inputs processed to the end: inbox files as stored, fetched bodies (since start).",
        Name.rescans: "Scans of the inbox directory (since start).",
        Name.commits:
            "Output commits, each a shard fsync and a ledger transaction; small files share one (since start).",
        Name.inotifyOverflows: "Times the inotify queue overflowed, each followed by a rescan (since start).",
        Name.fileDuration: "Time from taking an inbox file to its last commit.",
        Name.stageDuration: "Time one document spent in one pipeline stage.",
        Name.filesPending: "Files seen in the inbox and not yet taken.",
        Name.fetchQueued: "URLs waiting in the fetch queue.",
        Name.fetchActive: "Fetch transfers in flight.",
        Name.pagesWaiting: "Fetched pages waiting for the pipeline.",
        Name.indexDocuments: "Documents in the dedup index.",
        Name.shardBytes: "Committed bytes of the open output shard, by stream (records, rejected).",
        Name.degraded: "1 while a part of the daemon is held back (output, fetch), such as by a full disk.",
    ]

    private let files: [String: CoreMetrics.Counter]
    private let documentsKept: CoreMetrics.Counter
    private let documentsDropped = Mutex<[String: CoreMetrics.Counter]>([:])
    private let linesDropped = Mutex<[String: CoreMetrics.Counter]>([:])
    private let fetches: [String: CoreMetrics.Counter]
    private let inputBytes: CoreMetrics.Counter
    private let rescans: CoreMetrics.Counter
    private let commits: CoreMetrics.Counter
    private let inotifyOverflows: CoreMetrics.Counter
    private let fileDuration: CoreMetrics.Timer
    private let shardBytes: [String: CoreMetrics.Gauge]
    private let filesPending: CoreMetrics.Gauge
    private let fetchQueued: CoreMetrics.Gauge
    private let fetchActive: CoreMetrics.Gauge
    private let pagesWaiting: CoreMetrics.Gauge
    private let indexDocuments: CoreMetrics.Gauge
    private let degraded: [String: CoreMetrics.Gauge]

    /// The status classes of `winnow_fetches_total`.
    static let fetchClasses = ["2xx", "3xx", "4xx", "5xx", "error"]

    init() {
        // Every metric below is made after the bootstrap (a metric made before it would report nowhere).
        _ = Self.registry
        inputBytes = CoreMetrics.Counter(label: Name.inputBytes)
        rescans = CoreMetrics.Counter(label: Name.rescans)
        commits = CoreMetrics.Counter(label: Name.commits)
        inotifyOverflows = CoreMetrics.Counter(label: Name.inotifyOverflows)
        fileDuration = CoreMetrics.Timer(label: Name.fileDuration)
        filesPending = CoreMetrics.Gauge(label: Name.filesPending)
        fetchQueued = CoreMetrics.Gauge(label: Name.fetchQueued)
        fetchActive = CoreMetrics.Gauge(label: Name.fetchActive)
        pagesWaiting = CoreMetrics.Gauge(label: Name.pagesWaiting)
        indexDocuments = CoreMetrics.Gauge(label: Name.indexDocuments)
        files = [Counter.filesDone: "done", Counter.filesFailed: "failed", Counter.filesDuplicate: "duplicate"]
            .mapValues { CoreMetrics.Counter(label: Name.files, dimensions: [("outcome", $0)]) }
        documentsKept = CoreMetrics.Counter(label: Name.documents, dimensions: [("outcome", "kept"), ("reason", "")])
        fetches = Dictionary(
            uniqueKeysWithValues: Self.fetchClasses.map {
                ($0, CoreMetrics.Counter(label: Name.fetches, dimensions: [("class", $0)]))
            })
        shardBytes = Dictionary(
            uniqueKeysWithValues: ["records", "rejected"].map {
                ($0, CoreMetrics.Gauge(label: Name.shardBytes, dimensions: [("stream", $0)]))
            })
        degraded = Dictionary(
            uniqueKeysWithValues: ["output", "fetch"].map {
                ($0, CoreMetrics.Gauge(label: Name.degraded, dimensions: [("part", $0)]))
            })
    }

    /// Adds committed counter increments (names as in `Counter`; the others are not metrics).
    func add(counters: [String: Int]) {
        for (name, delta) in counters where delta > 0 {
            if let counter = files[name] {
                counter.increment(by: delta)
            } else if name == Counter.documentsKept {
                documentsKept.increment(by: delta)
            } else if name.hasPrefix(Counter.droppedPrefix) {
                let reason = String(name.dropFirst(Counter.droppedPrefix.count))
                documentsDropped.withLock { counters in
                    let counter =
                        counters[reason]
                        ?? CoreMetrics.Counter(
                            label: Name.documents, dimensions: [("outcome", "dropped"), ("reason", reason)])
                    counters[reason] = counter
                    return counter
                }.increment(by: delta)
            }
        }
    }

    /// Adds the lines committed documents lost, by rule, and the bytes of the inputs they finished.
    func add(droppedLines: [String: Int], inputBytes bytes: Int) {
        if bytes > 0 { inputBytes.increment(by: bytes) }
        guard !droppedLines.isEmpty else { return }
        linesDropped.withLock { counters in
            for (rule, count) in droppedLines {
                let counter =
                    counters[rule] ?? CoreMetrics.Counter(label: Name.droppedLines, dimensions: [("rule", rule)])
                counters[rule] = counter
                counter.increment(by: count)
            }
        }
    }

    /// A page fetch answered with `status`, or not answered (`nil`), once its outcome is recorded.
    func fetched(status: Int?) {
        let category = status.map { (200..<600).contains($0) ? "\($0 / 100)xx" : "error" } ?? "error"
        fetches[category]?.increment()
    }

    func rescanned() { rescans.increment() }

    func committed() { commits.increment() }

    func inotifyOverflowed() { inotifyOverflows.increment() }

    /// An inbox file finished (done, duplicate or failed) `duration` after it was taken.
    func fileFinished(after duration: Duration) { fileDuration.record(duration: duration) }

    /// The committed sizes of the open shards (`nil`: none open).
    func openShards(records: Int?, rejected: Int?) {
        shardBytes["records"]?.record(records ?? 0)
        shardBytes["rejected"]?.record(rejected ?? 0)
    }

    /// The Prometheus text of every metric, with the gauges that mirror `status` set from it.
    func exposition(_ status: StatusBoard.Snapshot, pendingPages: Int) -> [UInt8] {
        filesPending.record(status.filesPending)
        fetchQueued.record(status.fetchQueued)
        fetchActive.record(status.fetchActive)
        pagesWaiting.record(pendingPages)
        indexDocuments.record(status.indexDocuments)
        for (part, gauge) in degraded { gauge.record(status.degraded[part] == nil ? 0 : 1) }
        return Self.withHelp(Self.registry.emitToBuffer())
    }

    /// The registry's output with each family's `# HELP` line added, families in name order and
    /// counter and gauge samples sorted (histogram samples keep their bucket order).
    static func withHelp(_ text: [UInt8]) -> [UInt8] {
        var families: [(name: String, lines: [Substring])] = []
        for line in String(decoding: text, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let fields = line.split(separator: " ")
                let name = fields.count > 2 ? String(fields[2]) : ""
                families.append((name, help[name].map { [Substring("# HELP \(name) \($0)")] } ?? []))
                families[families.count - 1].lines.append(line)
                continue
            }
            if families.isEmpty { families.append(("", [])) }
            families[families.count - 1].lines.append(line)
        }
        var output: [UInt8] = []
        for family in families.sorted(by: { $0.name < $1.name }) {
            let head = family.lines.prefix { $0.hasPrefix("#") }
            var samples = family.lines.dropFirst(head.count)
            if head.last?.hasSuffix(" histogram") != true { samples = ArraySlice(samples.sorted()) }
            for line in head + samples {
                output.append(contentsOf: line.utf8)
                output.append(0x0A)
            }
        }
        return output
    }
}
