import ArgumentParser
import WinnowCore

extension Winnowctl {
    /// `winnowctl stats`: where the kept and dropped documents come from.
    struct Stats: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show what was kept and dropped: by reason, language, source and hour, with the biggest duplicate clusters.",
            discussion: """
                Read from the daemon's ledger, so the figures cover everything it has processed, across \
                restarts. Sources are the hosts of fetched pages (or of a document's url in a JSONL or WARC \
                file), else the inbox folder the file was dropped in ("inbox/FOLDER"), else "inbox". Hours are UTC, the last 24. Removed lines are counted by the rule that removed them.
                """)
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions

        func run() throws {
            report(try send("GET", "/v1/stats"), Self.render)
        }

        static func render(_ body: JSONValue) -> String {
            let stats = body.objectValue ?? JSONObject()
            func int(_ value: JSONValue?) -> String { String(value?.intValue ?? 0) }
            func share(_ part: Int, of total: Int) -> String {
                total == 0 ? "-" : "\(Int((Double(part) * 100 / Double(total)).rounded()))%"
            }
            func table(_ key: String, column: String, header: String) -> String {
                let rows = (stats[key]?.arrayValue ?? []).map { item -> [String] in
                    let row = item.objectValue ?? JSONObject()
                    let kept = row["kept"]?.intValue ?? 0
                    let dropped = row["dropped"]?.intValue ?? 0
                    return [
                        row[column]?.stringValue ?? "?", String(kept), String(dropped),
                        share(dropped, of: kept + dropped),
                    ]
                }
                return rows.isEmpty
                    ? "\(header): none yet"
                    : Table.render(header: [header, "KEPT", "DROPPED", "DROPPED %"], rows: rows)
            }
            func counts(_ value: JSONValue?, header: String) -> String {
                let rows = (value?.objectValue?.pairs ?? []).map { [$0.key, int($0.value)] }
                return rows.isEmpty ? "\(header): none" : Table.render(header: [header, "COUNT"], rows: rows)
            }
            let documents = stats["documents"]?.objectValue ?? JSONObject()
            let files = stats["files"]?.objectValue ?? JSONObject()
            let clusters = (stats["duplicate_clusters"]?.arrayValue ?? []).map { item -> [String] in
                let row = item.objectValue ?? JSONObject()
                return [row["id"]?.stringValue ?? "?", int(row["copies"]), int(row["exact"]), int(row["near"])]
            }
            return [
                "documents: \(int(documents["kept"])) kept, \(int(documents["dropped"])) dropped; files: "
                    + "\(int(files["done"])) done, \(int(files["failed"])) failed, \(int(files["duplicate"])) duplicate",
                counts(documents["dropped_by_reason"], header: "DROP REASON"),
                table("by_language", column: "lang", header: "LANGUAGE"),
                table("by_source", column: "source", header: "SOURCE"),
                table("by_hour", column: "hour", header: "HOUR (UTC)"),
                counts(stats["dropped_lines"], header: "LINE RULE"),
                clusters.isEmpty
                    ? "duplicate clusters: none"
                    : Table.render(header: ["KEPT RECORD", "COPIES", "EXACT", "NEAR"], rows: clusters),
            ].joined(separator: "\n\n")
        }
    }
}
