import ArgumentParser
import Foundation
import WinnowCore

extension Winnowctl {
    /// `winnowctl show ID`: one stored record, and where its copies came from.
    struct Show: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a stored record by its id, with where it is and where its rejected copies came from.",
            discussion: """
                Finds the record through the ledger (no scan of the output): in records/ for a kept document, \
                in rejected/ for a dropped one. For a kept record, lists each rejected copy, exact or near, \
                with the file and line or the URL it came from. Exit status 1 when no record has the id.
                """)
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions
        @Argument(help: "A record id, as in the records' \"id\" field.") var id: String

        func run() throws {
            let query = id.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? id
            report(try send("GET", "/v1/show?id=\(query)")) { body in
                let answer = body.objectValue ?? JSONObject()
                let record = answer["record"]?.objectValue ?? JSONObject()
                let metadata = record["metadata"]?.objectValue ?? JSONObject()
                var lines = [
                    "id:      \(record["id"]?.stringValue ?? id)",
                    "stored:  \(answer["stream"]?.stringValue ?? "?")/\(answer["shard"]?.stringValue ?? "?") "
                        + "at byte \(answer["offset"]?.intValue ?? 0)",
                    "from:    " + Self.origin(metadata),
                ]
                if let reason = metadata["reason"]?.stringValue {
                    lines.append(
                        "dropped: \(reason)" + (metadata["duplicate_of"]?.stringValue.map { " of \($0)" } ?? ""))
                }
                lines += ["", record["text"]?.stringValue ?? ""]
                let copies = answer["copies"]?.arrayValue ?? []
                if !copies.isEmpty {
                    let rows = copies.map { item -> [String] in
                        let copy = item.objectValue ?? JSONObject()
                        return [copy["kind"]?.stringValue ?? "?", copy["id"]?.stringValue ?? "?", Self.origin(copy)]
                    }
                    lines += ["", "\(copies.count) rejected \(copies.count == 1 ? "copy" : "copies"):"]
                    lines.append(Table.render(header: ["KIND", "ID", "FROM"], rows: rows))
                }
                return lines.joined(separator: "\n")
            }
        }

        /// "URL", or "FILE line N", from a record's metadata (or a copy's summary).
        static func origin(_ object: JSONObject) -> String {
            if let url = object["url"]?.stringValue { return url }
            let file = object["file"]?.stringValue ?? "?"
            return object["line"]?.intValue.map { "\(file) line \($0)" } ?? file
        }
    }
}
