import Foundation
import Testing

extension EndToEnd {
    /// The stages that depend on a document alone run on several documents at once; the output
    /// must not show it.
    @Suite("Workers")
    struct Workers {
        /// Every stage: extraction to near dedup, with the quality rules.
        private static let pipeline = """
            [pipeline]
            stages = ["html_extract", "markup", "unicode_nfc", "whitespace", "foreign_script_lines", "boilerplate_lines",
              "repeated_lines", "empty", "language", "gopher_repetition", "gopher_quality", "fineweb_quality",
              "c4_quality", "exact_dedup", "near_dedup"]
            """

        /// Deterministic prose: words made of two or three syllables, every third word a short
        /// function word, so the quality rules take it for text.
        private struct Prose {
            var state: UInt64
            private static let syllables = [
                "har", "bour", "coun", "cil", "bud", "get", "ri", "ver", "mar", "ket", "win", "ter", "rail", "way",
                "far", "mers", "mu", "se", "um", "tea", "chers", "bri", "dge", "fes", "ti", "val", "lib", "ra",
            ]
            private static let glue = ["the", "of", "and", "to", "in", "with", "for", "on", "at", "after"]

            private mutating func next() -> Int {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int(state >> 33)
            }

            mutating func sentence(words count: Int) -> String {
                var words: [String] = []
                for position in 0..<count {
                    if position % 3 == 1 {
                        words.append(Self.glue[next() % Self.glue.count])
                    } else {
                        words.append(
                            (0..<(2 + next() % 2)).map { _ in Self.syllables[next() % Self.syllables.count] }.joined())
                    }
                }
                let text = words.joined(separator: " ")
                return text.prefix(1).uppercased() + text.dropFirst() + "."
            }
        }

        /// Stories of one wire service: each ends with the service's own line, which the
        /// repeated-line filter removes once it has seen it in three kept stories (so later drafts
        /// are taken up again from that stage); among them exact copies, copies with one word
        /// changed (near duplicates), briefs the quality rules drop, a page of HTML and a story in
        /// German.
        private static func corpus() -> String {
            var prose = Prose(state: 42)
            var stories: [String] = []
            for number in 0..<160 {
                var story: String
                switch number % 16 {
                case 5: story = stories[number - 3]
                case 9: story = "Meanwhile " + stories[number - 7]
                case 11: story = "Brief: " + prose.sentence(words: 6)
                case 13:
                    story =
                        "<html><body><nav>Home | News</nav><article><h1>\(prose.sentence(words: 5))</h1><p>"
                        + (0..<4).map { _ in prose.sentence(words: 18) }.joined(separator: " ")
                        + "</p></article></body></html>"
                case 15:
                    story =
                        "Der Stadtrat hat am Dienstag den neuen Haushalt für den Hafen beschlossen, nachdem monatelang "
                        + "über die Kosten für die Reparatur der alten Kaimauer gestritten worden war. Die Fischer "
                        + "hatten gewarnt, dass die verschlammte Fahrrinne nachts gefährlich sei. Nummer \(number)."
                default:
                    story = (0..<3).map { _ in prose.sentence(words: 30) }.joined(separator: "\n\n")
                    story += "\n\nThe Lowbridge Wire Service reports on the towns along the northern coast every day."
                }
                stories.append(story)
            }
            return stories.enumerated().map { #"{"id":"s\#($0.offset)","text":\#(jsonString($0.element))}"# }
                .joined(separator: "\n") + "\n"
        }

        /// What winnowd --once writes for `input` with `workers` workers: its records and rejections.
        private static func run(workers: Int, input: String) throws -> [OutputRecord] {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            try sandbox.writeInPlace("wire.jsonl", input)
            let config = Sandbox.batchConfig(documents: 25) + "\n" + pipeline + "\nworkers = \(workers)\n"
            let daemon = try sandbox.launch(config: config, ["--once"])
            let (status, _) = try daemon.waitForExit()
            #expect(status == 0, "\(daemon.logTail())")
            let output = try sandbox.readOutput()
            #expect(output.tornLines.isEmpty)
            return output.all.sorted { $0.index ?? 0 < $1.index ?? 0 }
        }

        /// What `winnowctl clean --json` makes of `input`: the stages one document at a time, in order.
        private static func cleanOffline(_ input: String) throws -> [OutputRecord] {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let path = try sandbox.stage("wire.jsonl", input)
            let config = try sandbox.writeConfig(pipeline)
            let result = try Command.run(
                Binaries.winnowctl, ["clean", "--json", "--config", config, path], scratch: sandbox.root)
            #expect(result.status == 0, "\(result)")
            let decoder = JSONDecoder()
            return try result.stdout.split(separator: "\n").map {
                try decoder.decode(OutputRecord.self, from: Data($0.utf8))
            }
        }

        /// Each record as written, without the time it was added.
        private static func lines(_ records: [OutputRecord]) -> [String] {
            records.map { record in
                let metadata = record.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                return "\(record.id) \(record.source) \(record.created ?? "-") \(metadata) \(record.text)"
            }
        }

        @Test(
            "winnowd writes what the stages give one document at a time, whatever the number of workers"
        )
        func outputDoesNotDependOnWorkers() throws {
            let input = Self.corpus()
            let sequential = try Self.cleanOffline(input)
            #expect(sequential.count == 160)
            for workers in [1, 4] {
                let output = try Self.run(workers: workers, input: input)
                #expect(Self.lines(output) == Self.lines(sequential), "\(workers) worker(s)")
            }
            // The corpus exercised what can make a draft wrong: lines removed by the stateful
            // repeated-line filter, and documents dropped by each kind of stage.
            let trimmed = sequential.filter {
                $0.metadata["dropped_lines"]?.description.contains("repeated_line") == true
            }
            #expect(trimmed.count >= 50, "\(trimmed.count) records lost a repeated line")
            let reasons = Set(sequential.compactMap(\.reason))
            for reason in ["exact_duplicate", "near_duplicate", "quality.gopher_word_count"] {
                #expect(reasons.contains(reason), "no \(reason) among \(reasons.sorted())")
            }
            #expect(sequential.contains { $0.metadata["lang"]?.string == "de" })
        }

        @Test(
            "large documents are read ahead only within a byte budget, and come out whole, once, in order"
        )
        func readAheadBudget() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            // Ten documents of 2 MB, each its own text: 20 MB, beyond what is read ahead of the
            // settled ones.
            var prose = Prose(state: 7)
            let documents = (0..<10).map { _ in
                let paragraph = (0..<40).map { _ in prose.sentence(words: 24) }.joined(separator: " ")
                return String(repeating: paragraph + "\n", count: 2_000_000 / paragraph.utf8.count)
            }
            let input =
                documents.enumerated().map { #"{"id":"big\#($0.offset)","text":\#(jsonString($0.element))}"# }
                .joined(separator: "\n") + "\n"
            try sandbox.writeInPlace("big.jsonl", input)
            let daemon = try sandbox.launch(
                config: Sandbox.batchConfig(documents: 1) + "\n[pipeline]\nworkers = 1\n", ["--once"])
            let (status, _) = try daemon.waitForExit(timeout: .seconds(300))
            #expect(status == 0, "\(daemon.logTail())")
            let (whole, detail) = try sandbox.readOutput().recordsAre(documents)
            #expect(whole, "\(detail)")
        }
    }
}
