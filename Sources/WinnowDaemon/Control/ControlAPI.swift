import Foundation
import WinnowCore
import WinnowIO
import WinnowText

#if canImport(Glibc)
    import Glibc
#endif

/// The control API's routes (**Contract**, DESIGN.md section 9): what each request does and answers.
struct ControlAPI: Sendable {
    let board: StatusBoard
    let inbox: String
    /// The state database, whose files' sizes are the index's bytes on disk.
    let database: String
    let setPaused: @Sendable (Bool) -> Void
    /// Checks a posted file against the dedup index (`winnowctl dupes`); `nil` where there is none.
    var dupes: DupesCheck? = nil
    /// The fetch queue's routes; `nil` where there is none.
    var fetchQueue: FetchQueueControl? = nil
    /// Failed files (`failed`, `retry`); `nil` where there is no ledger.
    var failedFiles: FailedFilesControl? = nil
    /// `winnowctl stats`; `nil` where there is no ledger.
    var stats: StatsReport? = nil
    /// `winnowctl show`; `nil` where there is no output.
    var lookup: RecordLookup? = nil
    /// Re-reads the configuration (`winnowctl reload`); `nil` where there is none.
    var reload: (@Sendable () throws(ConfigurationError) -> String)? = nil
    /// The metrics in Prometheus text (`winnowctl metrics`); `nil` where there are none.
    var metrics: (@Sendable () -> [UInt8])? = nil

    /// The content type of the Prometheus text exposition format.
    static let prometheusText = "text/plain; version=0.0.4; charset=utf-8"

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        switch (request.method, request.route) {
        case ("GET", "/v1/status"):
            var status = Self.statusJSON(board.snapshot(), inbox: inbox)
            var index = status["index"]?.objectValue ?? JSONObject()
            let bytes = ["", "-wal"].compactMap { try? FileSystem.status(database + $0)?.size }.reduce(0, +)
            index["bytes_on_disk"] = .int(bytes)
            status["index"] = .object(index)
            return json(200, status)
        case ("GET", "/metrics"):
            guard let metrics else { return json(404, ["error": "no metrics here"]) }
            return Self.metricsOnly(request, metrics: metrics)
        case ("POST", "/v1/pause"):
            setPaused(true)
            return json(200, ["state": "paused"])
        case ("POST", "/v1/resume"):
            setPaused(false)
            return json(200, ["state": "running"])
        case ("POST", "/v1/dupes"):
            guard let dupes else { return json(404, ["error": "no dedup index here"]) }
            return dupes.check(name: request.query["name"] ?? "document.txt", bytes: request.body)
        case ("GET", "/v1/show"):
            guard let lookup else { return json(404, ["error": "no output here"]) }
            guard let id = request.query["id"], !id.isEmpty else { return json(400, ["error": "give ?id=RECORD_ID"]) }
            do {
                return json(200, try lookup.answer(id: id))
            } catch {
                return json(error.status, ["error": .string(error.message)])
            }
        case ("GET", "/v1/stats"):
            guard let stats else { return json(404, ["error": "no ledger here"]) }
            do {
                return json(200, try stats.answer())
            } catch {
                return json(error.status, ["error": .string(error.message)])
            }
        case ("POST", "/v1/reload"):
            guard let reload else { return json(404, ["error": "no configuration to reload here"]) }
            do {
                return json(200, ["reloaded": .bool(true), "result": .string(try reload())])
            } catch {
                return json(400, ["error": .string("the new configuration was refused: \(error.message)")])
            }
        case ("POST", "/v1/enqueue"), ("POST", "/v1/retry"), ("GET", "/v1/failed"):
            guard let fetchQueue else { return json(404, ["error": "no fetch queue here"]) }
            do {
                switch request.route {
                case "/v1/enqueue": return json(200, try fetchQueue.enqueue(request.body))
                case "/v1/retry": return json(200, try retry(request.body, fetchQueue: fetchQueue))
                default:
                    let limit = request.query["limit"].flatMap { Int($0) } ?? 50
                    var answer = try fetchQueue.failed(limit: limit)
                    answer["files"] = .array(try failedFiles?.list(limit: limit) ?? [])
                    return json(200, answer)
                }
            } catch {
                return json(error.status, ["error": .string(error.message)])
            }
        case (_, "/v1/status"), (_, "/v1/stats"), (_, "/v1/show"), (_, "/v1/pause"), (_, "/v1/resume"),
            (_, "/v1/dupes"),
            (_, "/v1/enqueue"),
            (_, "/v1/retry"), (_, "/v1/failed"), (_, "/v1/reload"), (_, "/metrics"):
            return json(405, ["error": .string("\(request.method) is not allowed on \(request.route)")])
        default:
            return json(404, ["error": .string("no such endpoint: \(request.route)")])
        }
    }

    /// `{"urls": [ids], "files": [ids]}` or `{"all": true}` → `{"queued": [URL ids], "put_back":
    /// [file ids], "refused": [{"id", "error"}]}`. (`"ids"` is taken for `"urls"`, as before files.)
    private func retry(_ body: [UInt8], fetchQueue: FetchQueueControl) throws(ControlRequestError) -> JSONObject {
        let object = (try? JSONParser.parse(body).value.objectValue) ?? nil
        func ids(_ key: String) -> [Int64]? { object?[key]?.arrayValue?.compactMap { $0.intValue.map(Int64.init) } }
        let all = object?["all"] == .bool(true)
        let urls = all ? nil : ids("urls") ?? ids("ids")
        let files = all ? nil : ids("files")
        guard all || urls != nil || files != nil else {
            throw ControlRequestError(#"the body must be {"urls": [1, 2], "files": [3]} or {"all": true}"#)
        }
        let queued = all || urls != nil ? try fetchQueue.retry(ids: urls) : []
        let (putBack, refused) = all || files != nil ? try failedFiles?.putBack(ids: files) ?? ([], []) : ([], [])
        return [
            "queued": .array(queued.map { .int(Int($0)) }), "put_back": .array(putBack.map { .int(Int($0)) }),
            "refused": .array(refused),
        ]
    }

    /// What the TCP listener of `metrics.listen` answers: `GET /metrics` as on the control socket,
    /// and nothing else of the control API, which is for the socket's group only.
    static func metricsOnly(_ request: HTTPRequest, metrics: () -> [UInt8]) -> HTTPResponse {
        switch (request.method, request.route) {
        case ("GET", "/metrics"):
            HTTPResponse(status: 200, body: metrics(), contentType: prometheusText)
        case (_, "/metrics"):
            HTTPResponse(status: 405, body: Array(#"{"error":"only GET is allowed on /metrics"}"#.utf8) + [0x0A])
        default:
            HTTPResponse(status: 404, body: Array(#"{"error":"only /metrics is served here"}"#.utf8) + [0x0A])
        }
    }

    private func json(_ status: Int, _ object: JSONObject) -> HTTPResponse {
        var body: [UInt8] = []
        JSONWriter.write(object, into: &body)
        body.append(0x0A)
        return HTTPResponse(status: status, body: body)
    }

    /// The status document `winnowctl status --json` prints.
    static func statusJSON(_ status: StatusBoard.Snapshot, inbox: String) -> JSONObject {
        var dropped = JSONObject()
        for (reason, count) in status.droppedByReason.sorted(by: { $0.key < $1.key }) { dropped[reason] = .int(count) }
        let uptime = ContinuousClock.now - status.startedUptime
        var files = JSONObject()
        files["pending"] = .int(status.filesPending)
        files["pending_bytes"] = .int(status.bytesPending)
        files["bytes_done"] = .int(status.inputBytes)
        files["processing"] = .int(status.processing == nil ? 0 : 1)
        files["done"] = .int(status.filesDone)
        files["failed"] = .int(status.filesFailed)
        files["duplicate"] = .int(status.filesDuplicate)
        var documents = JSONObject()
        documents["kept"] = .int(status.documentsKept)
        documents["dropped"] = .int(status.documentsDropped)
        documents["dropped_by_reason"] = .object(dropped)
        var object = JSONObject()
        object["state"] = .string(status.displayState)
        var degraded = JSONObject()
        for (part, reason) in status.degraded.sorted(by: { $0.key < $1.key }) { degraded[part] = .string(reason) }
        object["degraded"] = .object(degraded)
        object["pid"] = .int(Int(getpid()))
        object["version"] = .string(WinnowVersion.current)
        object["started"] = .string(status.startedAt)
        object["uptime_seconds"] = .int(Int(uptime.components.seconds))
        object["inbox"] = .string(inbox)
        object["watch"] = .string(status.watch)
        object["current_file"] = status.processing.map(JSONValue.string) ?? .null
        object["current"] =
            status.processing.map { name in
                .object([
                    "name": .string(name), "bytes_done": .int(status.processingBytes),
                    "bytes_total": .int(status.processingSize),
                ])
            } ?? .null
        object["files"] = .object(files)
        object["documents"] = .object(documents)
        object["rescans"] = .int(status.rescans)
        object["inotify_overflows"] = .int(status.inotifyOverflows)
        object["index"] = .object(["documents": .int(status.indexDocuments)])
        var fetch = JSONObject()
        fetch["queued"] = .int(status.fetchQueued)
        fetch["active"] = .int(status.fetchActive)
        fetch["done"] = .int(status.fetchDone)
        fetch["failed"] = .int(status.fetchFailed)
        for name in [Counter.fetchPages, Counter.fetchRetried, Counter.fetchNotModified] {
            fetch[String(name.dropFirst(Counter.fetchPrefix.count))] = .int(status.fetchEvents[name] ?? 0)
        }
        object["fetch"] = .object(fetch)
        object["last_error"] = status.lastError.map(JSONValue.string) ?? .null
        return object
    }
}
