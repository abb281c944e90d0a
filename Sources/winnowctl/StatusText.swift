import WinnowCore

/// Renders the status JSON as a few lines a person can read at a glance.
enum StatusText {
    static func render(_ body: JSONValue) -> String {
        let status = body.objectValue ?? JSONObject()
        let files = status["files"]?.objectValue ?? JSONObject()
        let documents = status["documents"]?.objectValue ?? JSONObject()
        func int(_ object: JSONObject, _ key: String) -> Int { object[key]?.intValue ?? 0 }
        let reasons =
            documents["dropped_by_reason"]?.objectValue?.pairs
            .map { "\($0.key) \($0.value.intValue ?? 0)" }.joined(separator: ", ") ?? ""
        let uptime = status["uptime_seconds"]?.intValue ?? 0
        var lines = [
            "winnowd:   \(status["state"]?.stringValue ?? "unknown") (pid \(status["pid"]?.intValue ?? 0)), up \(duration(uptime))",
            "inbox:     \(status["inbox"]?.stringValue ?? "?") (\(status["watch"]?.stringValue ?? "?"), "
                + "\(status["rescans"]?.intValue ?? 0) rescans, \(status["inotify_overflows"]?.intValue ?? 0) overflows)",
            "files:     \(int(files, "pending")) pending, \(int(files, "processing")) processing, \(int(files, "done")) done, "
                + "\(int(files, "failed")) failed, \(int(files, "duplicate")) duplicate",
            "documents: \(int(documents, "kept")) kept, \(int(documents, "dropped")) dropped"
                + (reasons.isEmpty ? "" : " (\(reasons))"),
        ]
        if let index = status["index"]?.objectValue {
            let megabytes = Double(index["bytes_on_disk"]?.intValue ?? 0) / 1_048_576
            lines.append(
                "index:     \(int(index, "documents")) documents, \((megabytes * 10).rounded() / 10) MiB on disk")
        }
        if let fetch = status["fetch"]?.objectValue {
            lines.append(
                "fetch:     \(int(fetch, "queued")) queued, \(int(fetch, "active")) in flight, \(int(fetch, "done")) done, "
                    + "\(int(fetch, "failed")) failed (since start: \(int(fetch, "pages")) pages, "
                    + "\(int(fetch, "retried")) retries, \(int(fetch, "not_modified")) not modified)")
        }
        if let current = status["current_file"]?.stringValue { lines.append("working:   \(current)") }
        for (part, reason) in status["degraded"]?.objectValue?.pairs ?? [] {
            lines.append("degraded:  \(part): \(reason.stringValue ?? "")")
        }
        lines.append("last error: \(status["last_error"]?.stringValue ?? "none")")
        return lines.joined(separator: "\n")
    }

    static func duration(_ seconds: Int) -> String {
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m \(seconds % 60)s" }
        if seconds < 86400 { return "\(seconds / 3600)h \(seconds % 3600 / 60)m" }
        return "\(seconds / 86400)d \(seconds % 86400 / 3600)h"
    }
}
