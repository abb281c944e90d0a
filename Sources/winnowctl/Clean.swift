import ArgumentParser
import Foundation
import WinnowCore
import WinnowDaemon

extension Winnowctl {
    /// `winnowctl clean FILE…`: the daemon's cleaning, offline.
    struct Clean: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clean files offline (no daemon, no state) and print the text the daemon would write.",
            discussion: """
                Prints each document's cleaned text; a document the daemon would drop prints nothing and \
                its reason goes to stderr. Documents of a multi-document file are separated by a line \
                holding a form feed. Exit status 1 only when a file cannot be read.
                """)

        @Argument(help: "The files to clean (.txt, .jsonl, optionally .gz or .zst).")
        var files: [String]

        @Option(name: .long, help: "A configuration file whose pipeline and [stages.*] settings to use.")
        var config: String?

        @Flag(name: .long, help: "After the text, list every removed line with the rule that removed it.")
        var explain = false

        @Flag(name: .long, help: "Print the records (JSON lines) instead of the text.")
        var json = false

        func run() throws {
            var configuration = Configuration()
            if let config {
                do {
                    configuration = try ConfigurationLoader.load(path: config)
                } catch {
                    throw ValidationError("\(error)")
                }
            }
            let cleaner = try OfflineCleaner(configuration: configuration)
            var failed = false
            for file in files {
                do {
                    print(render(try cleaner.clean(path: file, explain: explain), file: file), terminator: "")
                } catch {
                    printError("winnowctl: cannot clean \(file): \(error)")
                    failed = true
                }
            }
            if failed { throw Exit.failure }
        }

        private func render(_ outcomes: [OfflineCleaner.Outcome], file: String) -> String {
            var output = ""
            for (index, outcome) in outcomes.enumerated() {
                if json {
                    var bytes: [UInt8] = []
                    outcome.record.appendJSONLine(to: &bytes)
                    output += String(decoding: bytes, as: UTF8.self)
                    continue
                }
                if index > 0 { output += "\u{0C}\n" }
                if let reason = outcome.reason {
                    let line = outcome.document.metadata["line"]?.intValue.map { ":\($0)" } ?? ""
                    printError("\(file)\(line): dropped: \(reason.code)")
                } else if !outcome.document.text.isEmpty {
                    output += outcome.document.text + "\n"
                }
                if explain { output += Self.explanation(of: outcome.document) }
            }
            return output
        }

        /// The removed lines, in order, each with its rule.
        static func explanation(of document: Document) -> String {
            let lines = document.droppedLineLog ?? []
            var text = "--- removed lines: \(lines.count) ---\n"
            for line in lines { text += "[\(line.rule)] \(line.text)\n" }
            return text
        }
    }
}
