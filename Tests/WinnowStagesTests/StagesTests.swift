import Testing
import WinnowCore
import WinnowStages
import WinnowText

/// An exact index holding fixed keys, for stages that look keys up.
private struct FixedIndex: ExactIndexReading {
    var kept: [Hash128: String] = [:]
    func keptDocument(forExactKey key: Hash128) throws -> String? { kept[key] }
}

private func run(_ names: [String], text: String, index: FixedIndex = FixedIndex()) throws -> (Verdict, Document) {
    let context = StageContext(exactIndex: index)
    var document = Document(id: "doc-0", text: text)
    for stage in try StageCatalog.stages(named: names) {
        let verdict = stage.apply(to: &document, context: context)
        if verdict != .keep { return (verdict, document) }
    }
    return (.keep, document)
}

@Suite struct StagesTests {
    /// One row per drop reason the default pipeline can give, and a row that is kept.
    @Test(
        arguments: [
            (Fixtures.numberedList, nil),
            ("  \n\n \t ", "empty"),
            ("\u{200B}\u{FEFF}", "empty"),
            ("Some real text.", nil),
            (Fixtures.englishNews.split(separator: " ").joined(separator: "   "), "exact_duplicate"),
        ] as [(String, String?)])
    func defaultPipeline(text: String, reason: String?) throws {
        // The kept copy is the news fixture as the cleaning stages leave it (its byline removed).
        let cleaning = StageCatalog.defaultNames.filter { $0 != "exact_dedup" }
        let (_, kept) = try run(cleaning, text: Fixtures.englishNews)
        let index = FixedIndex(kept: [ExactKey.key(for: kept.text): "first-0"])
        let (verdict, _) = try run(StageCatalog.defaultNames, text: text, index: index)
        if let reason {
            guard case .drop(let dropReason) = verdict else {
                Issue.record("expected a drop with \(reason), got \(verdict)")
                return
            }
            #expect(dropReason.code == reason)
        } else {
            #expect(verdict == .keep)
        }
    }

    @Test func exactDuplicateNamesTheKeptDocument() throws {
        let index = FixedIndex(kept: [ExactKey.key(for: "same words"): "first-3"])
        let (verdict, document) = try run(["exact_dedup"], text: "Same  words.", index: index)
        #expect(verdict == .drop(.exactDuplicate(of: "first-3")))
        #expect(document.metadata["content_hash"] == .string(ExactKey.key(for: "same words").description))
    }

    @Test func duplicatesWithinOneInputAreCaught() throws {
        let context = StageContext(exactIndex: FixedIndex())
        let stage = ExactDeduplicator()
        var first = Document(id: "a-0", text: "Twice the same")
        #expect(stage.apply(to: &first, context: context) == .keep)
        context.remember(first)
        var second = Document(id: "a-1", text: "twice, the same!")
        #expect(stage.apply(to: &second, context: context) == .drop(.exactDuplicate(of: "a-0")))
    }

    @Test func normalizersRewriteText() throws {
        let (verdict, document) = try run(["unicode_nfc", "whitespace"], text: "  Cafe\u{0301}\r\n\r\n\r\nnext  ")
        #expect(verdict == .keep)
        #expect(Array(document.text.unicodeScalars) == Array("Caf\u{E9}\n\nnext".unicodeScalars))
        #expect(document.metadata["lines_in"] == .int(4))
    }

    @Test func unknownStageIsRefusedByName() {
        #expect(throws: StageCatalogError.self) { try StageCatalog.stages(named: ["whitespace", "nope"]) }
    }
}
