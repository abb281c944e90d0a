import ArgumentParser
import Foundation
import WinnowCore
import WinnowDaemon

extension Winnowctl {
    /// `winnowctl dupes FILE`: would the daemon keep this file's documents, or whose copies are they?
    struct Dupes: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a file against the running daemon's dedup index (read-only).",
            discussion: """
                Sends the file to the daemon, which runs it through its stages against everything it has \
                kept, without keeping anything, and prints for each document: kept, or the reason it would \
                be dropped, with the record it duplicates and how similar it is.
                """)
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions
        @Argument(help: "The file to check (any input type the inbox takes).") var file: String

        func run() throws {
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            } catch {
                printError("winnowctl: cannot read \(file): \(error.localizedDescription)")
                throw Exit.failure
            }
            let name = URL(fileURLWithPath: file).lastPathComponent
            let query = name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? name
            report(try send("POST", "/v1/dupes?name=\(query)", body: bytes)) { body in
                let documents =
                    body.objectValue?["documents"].flatMap { value -> [JSONValue]? in
                        if case .array(let items) = value { return items }
                        return nil
                    } ?? []
                return documents.map { item -> String in
                    let object = item.objectValue ?? JSONObject()
                    let line = object["line"]?.intValue.map { "line \($0): " } ?? ""
                    let verdict = object["verdict"]?.stringValue ?? "?"
                    guard let original = object["duplicate_of"]?.stringValue else { return line + verdict }
                    let measures = ["similarity", "containment"].compactMap { key -> String? in
                        guard case .double(let number)? = object[key] else { return nil }
                        return "\(key) \(number)"
                    }
                    let similarity = measures.isEmpty ? "" : " (\(measures.joined(separator: ", ")))"
                    let copies =
                        object["copies_so_far"]?.objectValue.map { counts in
                            let total = (counts["exact"]?.intValue ?? 0) + (counts["near"]?.intValue ?? 0)
                            return ", which has \(total) rejected \(total == 1 ? "copy" : "copies") so far"
                        } ?? ""
                    return "\(line)\(verdict) of \(original)\(similarity)\(copies)"
                }.joined(separator: "\n")
            }
        }
    }
}
