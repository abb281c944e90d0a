import WinnowCore
import WinnowStore

/// `GET /v1/stats`: where the kept and dropped documents come from, read from the committed
/// counters and the duplicate counts (so it survives restarts and agrees with the output).
struct StatsReport: Sendable {
    let database: WinnowDatabase

    /// The report as of `now` (seconds since the epoch).
    func answer(now: Int = Int(Timestamp.unixNow())) throws(ControlRequestError) -> JSONObject {
        let counters: [String: Int]
        let clusters: [(id: String, exact: Int, near: Int)]
        do {
            counters = try database.counters()
            clusters = try database.duplicateClusters(limit: 20)
        } catch {
            throw ControlRequestError("cannot read the ledger: \(error)", status: 500)
        }
        var reasons = JSONObject()
        for (name, value) in counters.sorted(by: { $0.value > $1.value }) where name.hasPrefix(Counter.droppedPrefix) {
            reasons[String(name.dropFirst(Counter.droppedPrefix.count))] = .int(value)
        }
        var lines = JSONObject()
        let linePrefix = Counter.droppedLines("")
        for (name, value) in counters.sorted(by: { $0.value > $1.value }) where name.hasPrefix(linePrefix) {
            lines[String(name.dropFirst(linePrefix.count))] = .int(value)
        }
        // The last 24 hours, oldest first: hours are "YYYY-MM-DDTHH", which sort as text.
        let first = String(Timestamp.format(seconds: now - 23 * 3600).prefix(13))
        let hours = Self.split(counters, "hour").filter { $0.key >= first }
            .sorted { $0.key < $1.key }
        let dropped = reasons.pairs.reduce(0) { $0 + ($1.value.intValue ?? 0) }
        var documents = JSONObject()
        documents["kept"] = .int(counters[Counter.documentsKept] ?? 0)
        documents["dropped"] = .int(dropped)
        documents["dropped_by_reason"] = .object(reasons)
        var files = JSONObject()
        files["done"] = .int(counters[Counter.filesDone] ?? 0)
        files["failed"] = .int(counters[Counter.filesFailed] ?? 0)
        files["duplicate"] = .int(counters[Counter.filesDuplicate] ?? 0)
        let duplicates: [JSONValue] = clusters.map { cluster in
            var row = JSONObject()
            row["id"] = .string(cluster.id)
            row["copies"] = .int(cluster.exact + cluster.near)
            row["exact"] = .int(cluster.exact)
            row["near"] = .int(cluster.near)
            return .object(row)
        }
        var answer = JSONObject()
        answer["documents"] = .object(documents)
        answer["files"] = .object(files)
        answer["by_language"] = .array(Self.rows(Self.split(counters, "lang"), key: "lang", limit: 50))
        answer["by_source"] = .array(Self.rows(Self.split(counters, "source"), key: "source", limit: 50))
        answer["by_hour"] = .array(hours.map { Self.row($0, key: "hour") })
        answer["dropped_lines"] = .object(lines)
        answer["duplicate_clusters"] = .array(duplicates)
        return answer
    }

    /// `stats.<dimension>.kept.<value>` and `….dropped.<value>` counters, by value.
    private static func split(_ counters: [String: Int], _ dimension: String) -> [String: (kept: Int, dropped: Int)] {
        var result: [String: (kept: Int, dropped: Int)] = [:]
        for kept in [true, false] {
            let prefix = Counter.statistic(dimension, "", kept: kept)
            for (name, value) in counters where name.hasPrefix(prefix) {
                let key = String(name.dropFirst(prefix.count))
                var entry = result[key] ?? (0, 0)
                if kept { entry.kept += value } else { entry.dropped += value }
                result[key] = entry
            }
        }
        return result
    }

    /// Largest first, at most `limit`.
    private static func rows(_ entries: [String: (kept: Int, dropped: Int)], key: String, limit: Int) -> [JSONValue] {
        entries.sorted { ($0.value.kept + $0.value.dropped, $1.key) > ($1.value.kept + $1.value.dropped, $0.key) }
            .prefix(limit).map { row($0, key: key) }
    }

    private static func row(_ entry: (key: String, value: (kept: Int, dropped: Int)), key: String) -> JSONValue {
        .object([key: .string(entry.key), "kept": .int(entry.value.kept), "dropped": .int(entry.value.dropped)])
    }
}
