import ArgumentParser
import WinnowCore
import WinnowDaemon

extension Winnowctl {
    /// `winnowctl enqueue URL…`: add URLs to the daemon's fetch queue.
    struct Enqueue: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue URLs for the running daemon to fetch.",
            discussion: """
                Each URL is normalized (scheme and host lowercased, default port and fragment removed) and \
                queued once; a URL fetched before is queued again and asked for conditionally (a page that \
                has not changed gives no new record). Prints, per URL, what was queued and what was refused \
                and why. Exits 1 when any URL was refused.
                """)
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions
        @Argument(help: "http or https URLs.") var urls: [String]

        func run() throws {
            let body: JSONObject = ["urls": .array(urls.map(JSONValue.string))]
            let answer = try send("POST", "/v1/enqueue", body: body.jsonBytes)
            let results = answer.objectValue?["results"]?.arrayValue ?? []
            report(answer) { _ in
                results.map { item in
                    let object = item.objectValue ?? JSONObject()
                    let url = object["url"]?.stringValue ?? "?"
                    if let refused = object["refused"]?.stringValue { return "refused  \(url): \(refused)" }
                    let outcome = object["outcome"]?.stringValue ?? "?"
                    let normalized = object["normalized"]?.stringValue ?? url
                    let word =
                        outcome == "already_queued" ? "already queued" : outcome == "refetch" ? "refetch" : outcome
                    return word + String(repeating: " ", count: max(1, 9 - word.count)) + normalized
                }.joined(separator: "\n")
            }
            if results.contains(where: { $0.objectValue?["refused"] != nil }) { throw Exit.failure }
        }
    }

    /// `winnowctl failed`: the files set aside and the URLs given up on, with why.
    struct Failed: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the files set aside in failed/ and the URLs whose fetch failed, newest first, with why.",
            discussion: """
                Files have IDs like f12, URLs like u7. Once the cause is fixed (a limit raised, a permission \
                given), `winnowctl retry ID…` puts files back in the inbox and queues URLs again; \
                `winnowctl retry --all` does it for everything listed.
                """)
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions
        @Option(help: "Show at most this many of each.") var limit = 50

        func run() throws {
            let answer = try send("GET", "/v1/failed?limit=\(limit)")
            report(answer) { body in
                let object = body.objectValue ?? JSONObject()
                let files = (object["files"]?.arrayValue ?? []).map { item -> [String] in
                    let file = item.objectValue ?? JSONObject()
                    return [
                        "f" + (file["id"]?.intValue.map(String.init) ?? ""), file["failed_at"]?.stringValue ?? "",
                        file["file"]?.stringValue ?? "", file["reason"]?.stringValue ?? "",
                    ]
                }
                let urls = (object["failed"]?.arrayValue ?? []).map { item -> [String] in
                    let entry = item.objectValue ?? JSONObject()
                    return [
                        "u" + (entry["id"]?.intValue.map(String.init) ?? ""), entry["reason"]?.stringValue ?? "",
                        entry["attempts"]?.intValue.map(String.init) ?? "", entry["url"]?.stringValue ?? "",
                        entry["error"]?.stringValue ?? "",
                    ]
                }
                return [
                    files.isEmpty
                        ? "no failed files" : Table.render(header: ["ID", "FAILED AT", "FILE", "REASON"], rows: files),
                    urls.isEmpty
                        ? "no failed URLs"
                        : Table.render(header: ["ID", "REASON", "TRIES", "URL", "ERROR"], rows: urls),
                ].joined(separator: "\n\n")
            }
        }
    }

    /// `winnowctl retry ID…|--all`: put failed files back, queue failed URLs again.
    struct Retry: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put failed files back in the inbox and queue failed URLs again (by ID, or all of them).",
            discussion: """
                IDs are those `winnowctl failed` shows: f12 for a file, u7 (or 7) for a URL. A file goes back \
                under its own name and is processed again, after the documents it had already committed. \
                Exit status 1 when any ID could not be retried.
                """)
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions
        @Flag(help: "Every failed file and URL.") var all = false
        @Argument(help: "IDs from `winnowctl failed` (f12, u7).") var ids: [String] = []

        func validate() throws {
            if all == !ids.isEmpty { throw ValidationError("give either IDs or --all") }
            for id in ids where Self.parse(id) == nil {
                throw ValidationError("'\(id)' is not an ID from `winnowctl failed` (f12 for a file, u7 for a URL)")
            }
        }

        /// `f12` → a file, `u7` or `7` → a URL.
        static func parse(_ id: String) -> (file: Bool, number: Int)? {
            let file = id.hasPrefix("f")
            let digits = file || id.hasPrefix("u") ? String(id.dropFirst()) : id
            return Int(digits).map { (file, $0) }
        }

        func run() throws {
            let parsed = ids.compactMap(Self.parse)
            let body: JSONObject =
                all
                ? ["all": .bool(true)]
                : [
                    "urls": .array(parsed.filter { !$0.file }.map { .int($0.number) }),
                    "files": .array(parsed.filter(\.file).map { .int($0.number) }),
                ]
            let answer = try send("POST", "/v1/retry", body: body.jsonBytes)
            let object = answer.objectValue ?? JSONObject()
            let refused = object["refused"]?.arrayValue ?? []
            report(answer) { _ in
                let files = object["put_back"]?.arrayValue?.count ?? 0
                let urls = object["queued"]?.arrayValue?.count ?? 0
                var lines = files + urls == 0 && refused.isEmpty ? ["nothing to retry"] : []
                if files > 0 { lines.append("put back in the inbox: \(files) file\(files == 1 ? "" : "s")") }
                if urls > 0 { lines.append("queued again: \(urls)") }
                for item in refused {
                    let entry = item.objectValue ?? JSONObject()
                    lines.append(
                        "not retried f\(entry["id"]?.intValue ?? 0): \(entry["error"]?.stringValue ?? "?")")
                }
                return lines.joined(separator: "\n")
            }
            if !refused.isEmpty { throw Exit.failure }
        }
    }
}

extension Winnowctl {
    /// `winnowctl reload`: re-read the daemon's configuration file.
    struct Reload: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the running daemon re-read its configuration file (as SIGHUP does).",
            discussion: """
                A file that does not load, or names stages that cannot be built, is refused with the reason \
                (exit 1) and the running configuration stays in force. A good one puts its pipeline in force \
                from the next input on; settings read only at start wait for a restart, and the answer says so.
                """)
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions

        func run() throws {
            report(try send("POST", "/v1/reload")) { body in
                "reloaded: " + (body.objectValue?["result"]?.stringValue ?? "")
            }
        }
    }
}

/// Aligned columns for people; the last column is not padded.
enum Table {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

extension JSONObject {
    /// The object serialized, for a request body or a line of output.
    var jsonBytes: [UInt8] {
        var bytes: [UInt8] = []
        JSONWriter.write(self, into: &bytes)
        return bytes
    }
}
