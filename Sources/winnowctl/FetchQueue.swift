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

    /// `winnowctl failed`: the URLs the daemon gave up on, with why.
    struct Failed: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the URLs whose fetch failed, newest first, with the reason.",
            discussion: "Queue them again with `winnowctl retry ID…` or `winnowctl retry --all`.")
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions
        @Option(help: "Show at most this many.") var limit = 50

        func run() throws {
            let answer = try send("GET", "/v1/failed?limit=\(limit)")
            report(answer) { body in
                let items = body.objectValue?["failed"]?.arrayValue ?? []
                guard !items.isEmpty else { return "no failed URLs" }
                let rows = items.map { item -> [String] in
                    let object = item.objectValue ?? JSONObject()
                    return [
                        object["id"]?.intValue.map(String.init) ?? "", object["reason"]?.stringValue ?? "",
                        object["attempts"]?.intValue.map(String.init) ?? "", object["url"]?.stringValue ?? "",
                        object["error"]?.stringValue ?? "",
                    ]
                }
                return Table.render(header: ["ID", "REASON", "TRIES", "URL", "ERROR"], rows: rows)
            }
        }
    }

    /// `winnowctl retry ID…|--all`: queue failed URLs again.
    struct Retry: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue failed URLs again (by the IDs `winnowctl failed` shows, or all of them).")
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions
        @Flag(help: "Every failed URL.") var all = false
        @Argument(help: "IDs from `winnowctl failed`.") var ids: [Int] = []

        func validate() throws {
            if all == !ids.isEmpty { throw ValidationError("give either IDs or --all") }
        }

        func run() throws {
            let body: JSONObject = all ? ["all": .bool(true)] : ["ids": .array(ids.map { .int($0) })]
            let answer = try send("POST", "/v1/retry", body: body.jsonBytes)
            report(answer) { body in
                let queued = body.objectValue?["queued"]?.arrayValue ?? []
                return queued.isEmpty ? "nothing to retry" : "queued again: \(queued.count)"
            }
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
