import Testing
import WinnowCore
import WinnowStages

private struct NoExact: ExactIndexReading {
    func keptDocument(forExactKey key: Hash128) throws -> String? { nil }
}

/// A repeated-line table in memory, filled as documents are kept.
private final class Counts: LineCountReading, @unchecked Sendable {
    var counts: [UInt64: Int] = [:]
    func documentCounts(lineKeys: [UInt64]) throws -> [UInt64: Int] {
        lineKeys.reduce(into: [:]) { result, key in result[key] = counts[key] }
    }
}

@Suite struct RepeatedLineFilterTests {
    private func run(_ texts: [(file: String, text: String)], settings: JSONObject = [:]) throws -> [Document] {
        let stage = try #require(
            try StageCatalog.stages(named: ["repeated_lines"], settings: ["repeated_lines": settings]).first)
        let table = Counts()
        return texts.enumerated().map { index, input in
            let context = StageContext(exactIndex: NoExact(), lineCounts: table)
            var document = Document(id: "d-\(index)", text: input.text, metadata: ["file": .string(input.file)])
            document.droppedLineLog = []
            _ = stage.apply(to: &document, context: context)
            for key in document.lineKeys ?? [] { table.counts[key, default: 0] += 1 }
            return document
        }
    }

    @Test func removesALineOnceThreeDocumentsOfTheSourceHadIt() throws {
        let footer = "Lowbridge Courier is published by the Harbour Press Cooperative."
        let inputs = (1...4).map { number in
            (
                file: "courier-\(number).txt",
                text: "Story number \(number) about the harbour and its new budget.\n\(footer)"
            )
        }
        let documents = try run(inputs)
        for document in documents.prefix(3) { #expect(document.text.contains(footer)) }
        #expect(!documents[3].text.contains(footer))
        #expect(documents[3].droppedLines == ["repeated_line": 1])
    }

    @Test func sourcesAreKeptApart() throws {
        let footer = "Lowbridge Courier is published by the Harbour Press Cooperative."
        let inputs = ["a-1.txt", "a-2.txt", "a-3.txt", "other.txt"].map { (file: $0, text: "Some story.\n" + footer) }
        #expect(try run(inputs)[3].text.contains(footer))
    }

    @Test func theSourceIsConfigurable() throws {
        let footer = "Lowbridge Courier is published by the Harbour Press Cooperative."
        let numbered = ["a-1.txt", "a-2.txt", "a-3.txt", "a-4.txt"].map { (file: $0, text: "A story.\n" + footer) }
        #expect(try run(numbered, settings: ["source": .string("file")])[3].text.contains(footer))
        #expect(!(try run(numbered, settings: ["source": .string("file_pattern")])[3].text.contains(footer)))
        let oneFile = (1...4).map { (file: "crawl.warc", text: "Story \($0).\n" + footer) }
        #expect(!(try run(oneFile, settings: ["source": .string("file")])[3].text.contains(footer)))
        #expect(
            throws: StageCatalogError.badSetting(
                stage: "repeated_lines", detail: #"source: "sender" is not one of "auto", "file_pattern", "file""#)
        ) { try run(numbered, settings: ["source": .string("sender")]) }
    }

    @Test func namesNumberedInAnyScriptAreOneSource() throws {
        let footer = "Lowbridge Courier is published by the Harbour Press Cooperative."
        // Arabic-Indic and full-width digits are masked as ASCII ones are; a letter is not.
        let story = { (name: String) in (file: name, text: "A story.\n" + footer) }
        let numbered = ["ملف-١.txt", "ملف-٢.txt", "ملف-٣.txt", "ملف-٤.txt"].map(story)
        #expect(!(try run(numbered)[3].text.contains(footer)))
        let wide = ["feed-１.txt", "feed-２.txt", "feed-３.txt", "feed-４.txt"].map(story)
        #expect(!(try run(wide)[3].text.contains(footer)))
        let lettered = ["ملف-أ.txt", "ملف-ب.txt", "ملف-ت.txt", "ملف-ث.txt"].map(story)
        #expect(try run(lettered)[3].text.contains(footer))
    }

    @Test func figuresKeepTableRowsApart() throws {
        let inputs = (1...4).map { (file: "wire-\($0).txt", text: "Shr \($0)2 cts vs \($0)0 cts\nNet profit rose.") }
        #expect(try run(inputs)[3].text.contains("Shr 42 cts vs 40 cts"))
    }
}
