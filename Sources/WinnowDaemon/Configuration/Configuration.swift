import Foundation
import WinnowCore
import WinnowFetch
import WinnowIO
import WinnowStages

/// Everything the daemon can be told, with the defaults it runs on when told nothing. Every key is
/// documented in `Deploy/winnow.toml` and `docs/configuration.md`.
public struct Configuration: Sendable, Equatable {
    /// What happens to an input once its documents are committed.
    public enum AfterProcessing: String, Sendable {
        case archive, delete
    }

    /// `paths.inbox`: the watched directory.
    public var inbox = "./Inbox"
    /// `paths.output`: where `records/` and `rejected/` shards are written.
    public var output = "./Output"
    /// `paths.state`: the ledger, `claimed/`, `archive/`, `failed/` and the control socket.
    public var state = "./.winnow"
    /// `paths.work`: where claimed files wait and archive/ and failed/ are kept (default the state
    /// directory). Files are claimed by rename, so it must be on the inbox's mount: under systemd's
    /// ProtectSystem=strict every writable path is its own mount, so the unit puts it beside the inbox.
    public var work: String?
    /// `control.socket`: the control socket's path (default `<state>/control.sock`).
    public var socket: String?
    /// `control.socket_group`: the group the control socket is given (mode 0660), so its members may
    /// run winnowctl; the daemon must be a member. Default: the daemon's own group.
    public var socketGroup: String?

    /// `inbox.settle_ms`: how long a file closed after writing (or found by a scan) must stay unchanged.
    public var settleMilliseconds = 200
    /// `inbox.rescan_interval_s`: the safety-net rescan period.
    public var rescanIntervalSeconds = 30
    /// `inbox.after`: `archive` (move to `<state>/archive/`) or `delete`.
    public var afterProcessing = AfterProcessing.archive

    /// `limits.max_decompressed_bytes`: the most a compressed input may expand to.
    public var maxDecompressedBytes = 4 << 30
    /// `limits.max_document_bytes`: a longer document (a `.txt` file, a JSONL line) is rejected as `too_large`.
    public var maxDocumentBytes = 16 << 20

    /// `output.shard_max_bytes`: a shard is sealed and a new one started past this size.
    public var shardMaxBytes = 256 << 20

    /// `output.compress`: sealed shards are replaced by their `none`, `gzip` or `zstd` form.
    public var compression = ShardCompression.none

    /// `batch.documents`: documents per commit for multi-document inputs.
    public var batchDocuments = 1000
    /// `batch.bytes`: output bytes per commit for multi-document inputs.
    public var batchBytes = 8 << 20

    /// `pipeline.workers`: threads that run the stages which depend on a document alone, several
    /// documents of an input at once, while the ingest thread runs the dedup stages and the commits
    /// in input order.
    public var workers = Configuration.defaultWorkers

    /// One worker per processor the daemon may run on but the ingest thread's, at least one and at
    /// most 8.
    public static var defaultWorkers: Int { min(8, max(1, ProcessInfo.processInfo.activeProcessorCount - 1)) }

    /// `pipeline.stages`: the stages, in order (see `StageCatalog`).
    public var stages: [String] = StageCatalog.defaultNames

    /// `[stages.<name>]` tables: each stage's settings, validated against the stage catalog.
    public var stageSettings: [String: JSONObject] = [:]

    /// `[fetch]`: how URLs are fetched.
    public var fetch = FetchConfiguration()

    /// `log.level`: trace, debug, info, notice, warning, error, critical.
    public var logLevel = "info"

    /// `metrics.listen`: a TCP address that also serves `GET /metrics` (Prometheus text), such as
    /// `127.0.0.1:9464`. Off by default: the control socket serves `/metrics` anyway.
    public var metricsListen: ListenAddress?

    public init() {}

    /// The control socket path in effect.
    public var socketPath: String { socket ?? state + "/control.sock" }
}

/// The `[fetch]` section: the transfer settings and the politeness and retry policy around them.
public struct FetchConfiguration: Sendable, Equatable {
    /// Timeouts, caps, User-Agent, redirects and the address policy (`fetch.allow_networks`).
    public var transfer = FetchSettings()
    /// `fetch.per_host_connections`: transfers at once to one origin.
    public var perHostConnections = 2
    /// `fetch.per_host_delay_ms`: the least time between the starts of two requests to one origin.
    public var perHostDelayMilliseconds = 1000
    /// `fetch.max_attempts`: a URL failing transiently this many times is given up on.
    public var maxAttempts = 5
    /// `fetch.backoff_base_ms`, `fetch.backoff_max_ms`: the wait before retry n is base × 2ⁿ⁻¹,
    /// ± half of it at random, at most max (a `Retry-After` from the server wins).
    public var backoffBaseMilliseconds = 1000
    public var backoffMaxMilliseconds = 3_600_000
    /// `fetch.robots`: fetch, cache and obey robots.txt.
    public var robots = true
    /// `fetch.robots_cache_s`: how long a robots.txt is trusted.
    public var robotsCacheSeconds = 86_400

    public init() {}

    /// The product token robots.txt groups are matched against: the User-Agent up to its first `/`.
    public var robotsAgent: String {
        String(transfer.userAgent.prefix { $0 != "/" && $0 != " " }).lowercased()
    }
}
