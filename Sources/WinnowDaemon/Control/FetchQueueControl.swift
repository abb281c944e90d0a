import WinnowCore
import WinnowFetch
import WinnowStore
import WinnowText

/// The fetch queue's control routes: `enqueue` (POST /v1/enqueue), `failed` (GET /v1/failed),
/// `retry` (POST /v1/retry). Request and answer bodies are JSON.
struct FetchQueueControl: Sendable {
    let database: WinnowDatabase
    /// Tells the fetch loop to look at the queue now.
    let wake: @Sendable () -> Void

    /// `{"urls": [...]}` → `{"results": [{"url", "outcome": queued|refetch|retried|already_queued,
    /// "normalized"} or {"url", "refused": why}]}`.
    func enqueue(_ body: [UInt8]) throws(ControlRequestError) -> JSONObject {
        guard let urls = try? JSONParser.parse(body).value.objectValue?["urls"]?.arrayValue else {
            throw ControlRequestError(#"the body must be a JSON object {"urls": ["https://…", …]}"#)
        }
        var results: [JSONValue] = []
        var accepted: [(index: Int, url: FetchURL)] = []
        for item in urls {
            guard let text = item.stringValue else {
                results.append(.object(["url": item, "refused": "not a string"]))
                continue
            }
            do {
                let url = try FetchURL(text)
                accepted.append((results.count, url))
                results.append(.object(["url": .string(text), "normalized": .string(url.description)]))
            } catch {
                results.append(.object(["url": .string(text), "refused": .string(error.description)]))
            }
        }
        let outcomes: [EnqueueOutcome]
        do {
            outcomes = try database.enqueue(
                accepted.map { ($0.url.description, $0.url.origin) }, now: Timestamp.unixNow())
        } catch {
            throw ControlRequestError("cannot queue: \(error)", status: 500)
        }
        for (entry, outcome) in zip(accepted, outcomes) {
            guard case .object(var object) = results[entry.index] else { continue }
            object["outcome"] = .string(outcome.rawValue)
            results[entry.index] = .object(object)
        }
        if !accepted.isEmpty { wake() }
        return ["results": .array(results)]
    }

    /// `{"failed": [{"id", "url", "reason", "error", "status", "attempts", "updated_at"}]}`, newest first.
    func failed(limit: Int) throws(ControlRequestError) -> JSONObject {
        do {
            let entries = try database.failedFetches(limit: limit)
            return ["failed": .array(entries.map(Self.describe))]
        } catch {
            throw ControlRequestError("cannot read the queue: \(error)", status: 500)
        }
    }

    /// Queues the failed URLs with these ids (all of them with `nil`) again; returns their ids.
    func retry(ids: [Int64]?) throws(ControlRequestError) -> [Int64] {
        do {
            let queued = try database.retryFetches(ids, now: Timestamp.unixNow())
            if !queued.isEmpty { wake() }
            return queued
        } catch {
            throw ControlRequestError("cannot queue: \(error)", status: 500)
        }
    }

    static func describe(_ entry: FetchQueueEntry) -> JSONValue {
        var object = JSONObject()
        object["id"] = .int(Int(entry.id))
        object["url"] = .string(entry.url)
        object["reason"] = entry.reason.map(JSONValue.string) ?? .null
        object["error"] = entry.lastError.map(JSONValue.string) ?? .null
        object["status"] = entry.lastStatus.map { .int($0) } ?? .null
        object["attempts"] = .int(entry.attempts)
        object["updated_at"] = .string(entry.updatedAt)
        return .object(object)
    }
}

/// A control request that cannot be carried out, with the HTTP status to answer.
struct ControlRequestError: Error {
    var message: String
    var status: Int

    init(_ message: String, status: Int = 400) {
        self.message = message
        self.status = status
    }
}
