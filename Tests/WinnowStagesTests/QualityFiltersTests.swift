import Testing
import WinnowCore
import WinnowStages

/// One rule of one quality stage: a text that breaks it, the settings it is checked with, and the
/// settings that switch the rule off (with those the text must not be dropped for that reason).
struct QualityRow: Sendable, CustomTestStringConvertible {
    var stage: String
    var reason: String
    var text: String
    var settings: JSONObject = [:]
    var relaxed: JSONObject

    var testDescription: String { reason }
}

private struct NoIndex: ExactIndexReading {
    func keptDocument(forExactKey key: Hash128) throws -> String? { nil }
}

func runStages(_ names: [String], text: String, settings: [String: JSONObject] = [:]) throws -> (Verdict, Document) {
    let context = StageContext(exactIndex: NoIndex())
    var document = Document(id: "doc-0", text: text)
    for stage in try StageCatalog.stages(named: names, settings: settings) {
        let verdict = stage.apply(to: &document, context: context)
        if verdict != .keep { return (verdict, document) }
    }
    return (.keep, document)
}

private func joined(_ lines: [String]) -> String { lines.joined(separator: "\n") }

@Suite struct QualityFiltersTests {
    static let rows: [QualityRow] = [
        // gopher_quality
        QualityRow(
            stage: "gopher_quality", reason: "quality.gopher_word_count",
            text: "Council approves the new budget of the city.", relaxed: ["min_words": 1]),
        QualityRow(
            stage: "gopher_quality", reason: "quality.gopher_mean_word_length",
            text: Array(repeating: "Yes, I go to it as we do.", count: 9).joined(separator: " "),
            relaxed: ["min_mean_word_length": 1]),
        QualityRow(
            stage: "gopher_quality", reason: "quality.gopher_symbol_ratio",
            text: joined(
                Fixtures.lines(count: 6, perLine: 10) + [Fixtures.stopWordLine, "#news #city #vote #tax #budget"])
                + " #school #roads #health #weather #sports",
            relaxed: ["max_symbol_word_ratio": 1]),
        QualityRow(
            stage: "gopher_quality", reason: "quality.gopher_bullet_lines",
            text: joined((Fixtures.lines(count: 10, perLine: 8) + [Fixtures.stopWordLine]).map { "- " + $0 }),
            relaxed: ["max_bullet_line_fraction": 1]),
        QualityRow(
            stage: "gopher_quality", reason: "quality.gopher_ellipsis_lines",
            text: joined(
                Fixtures.lines(count: 4, perLine: 8, end: "...") + Fixtures.lines(from: 100, count: 6, perLine: 8)
                    + [Fixtures.stopWordLine]),
            relaxed: ["max_ellipsis_line_fraction": 1]),
        QualityRow(
            stage: "gopher_quality", reason: "quality.gopher_alpha_words",
            text: joined(Fixtures.lines(count: 8, perLine: 6).map { $0 + " 12 345 2024." } + [Fixtures.stopWordLine]),
            relaxed: ["min_alpha_word_fraction": 0]),
        QualityRow(
            stage: "gopher_quality", reason: "quality.gopher_stop_words",
            text: joined(Fixtures.lines(count: 8, perLine: 8)), relaxed: ["min_stop_words": 0]),

        // gopher_repetition
        QualityRow(
            stage: "gopher_repetition", reason: "quality.gopher_dup_para_fraction",
            text: (0..<7).flatMap { index in
                [joined(Fixtures.lines(from: index * 24, count: 3, perLine: 8))] + (index < 5 ? ["Advertisement"] : [])
            }.joined(separator: "\n\n"),
            relaxed: ["max_duplicate_paragraph_fraction": 1]),
        QualityRow(
            stage: "gopher_repetition", reason: "quality.gopher_dup_para_chars",
            text: [
                joined(Fixtures.lines(count: 4, perLine: 8)), joined(Fixtures.lines(from: 100, count: 2, perLine: 8)),
                joined(Fixtures.lines(from: 200, count: 2, perLine: 8)),
                joined(Fixtures.lines(from: 300, count: 2, perLine: 8)), joined(Fixtures.lines(count: 4, perLine: 8)),
            ].joined(separator: "\n\n"),
            // A repeated paragraph is made of repeated lines and n-grams: those rules are switched off too.
            relaxed: [
                "max_duplicate_paragraph_char_fraction": 1, "max_duplicate_line_char_fraction": 1,
                "max_duplicate_ngram_fractions": .array([]),
            ]),
        QualityRow(
            stage: "gopher_repetition", reason: "quality.gopher_dup_line_fraction",
            text: joined(
                Fixtures.lines(count: 8, perLine: 8).enumerated().flatMap {
                    $0.offset < 5 ? [$0.element, "Advertisement"] : [$0.element]
                }),
            relaxed: ["max_duplicate_line_fraction": 1]),
        QualityRow(
            stage: "gopher_repetition", reason: "quality.gopher_dup_line_chars",
            text: joined(
                Fixtures.lines(count: 1, perLine: 24) + Fixtures.lines(from: 100, count: 5, perLine: 8)
                    + Fixtures.lines(count: 1, perLine: 24)),
            // A repeated line is made of repeated 5- to 10-grams: those rules are switched off too.
            relaxed: ["max_duplicate_line_char_fraction": 1, "max_duplicate_ngram_fractions": .array([])]),
        QualityRow(
            stage: "gopher_repetition", reason: "quality.gopher_top_2gram",
            text: Fixtures.repeatedPhrase("silver fox", lines: 10, wordsPerLine: 4),
            relaxed: ["max_top_ngram_fractions": .array([.double(1), .double(0.18), .double(0.16)])]
        ),
        QualityRow(
            stage: "gopher_repetition", reason: "quality.gopher_top_3gram",
            text: Fixtures.repeatedPhrase("silver dragon forest", lines: 10, wordsPerLine: 10),
            relaxed: ["max_top_ngram_fractions": .array([.double(0.2), .double(1), .double(0.16)])]),
        QualityRow(
            stage: "gopher_repetition", reason: "quality.gopher_top_4gram",
            text: Fixtures.repeatedPhrase("silver dragon forest castle", lines: 10, wordsPerLine: 14),
            relaxed: ["max_top_ngram_fractions": .array([.double(0.2), .double(0.18), .double(1)])]),
        QualityRow(
            stage: "gopher_repetition", reason: "quality.gopher_dup_5gram",
            text: Fixtures.repeatedBlocks(size: 5, filler: 7),
            relaxed: [
                "max_duplicate_ngram_fractions": .array([
                    .double(1), .double(0.14), .double(0.13), .double(0.12), .double(0.11), .double(0.1),
                ])
            ]),
        QualityRow(
            stage: "gopher_repetition", reason: "quality.gopher_dup_6gram",
            text: Fixtures.repeatedBlocks(size: 6, filler: 10),
            relaxed: [
                "max_duplicate_ngram_fractions": .array([
                    .double(0.15), .double(1), .double(0.13), .double(0.12), .double(0.11), .double(0.1),
                ])
            ]),
        QualityRow(
            stage: "gopher_repetition", reason: "quality.gopher_dup_7gram",
            text: Fixtures.repeatedBlocks(size: 7, filler: 13),
            relaxed: [
                "max_duplicate_ngram_fractions": .array([
                    .double(0.15), .double(0.14), .double(1), .double(0.12), .double(0.11), .double(0.1),
                ])
            ]),
        QualityRow(
            stage: "gopher_repetition", reason: "quality.gopher_dup_8gram",
            text: Fixtures.repeatedBlocks(size: 8, filler: 16),
            relaxed: [
                "max_duplicate_ngram_fractions": .array([
                    .double(0.15), .double(0.14), .double(0.13), .double(1), .double(0.11), .double(0.1),
                ])
            ]),
        QualityRow(
            stage: "gopher_repetition", reason: "quality.gopher_dup_9gram",
            text: Fixtures.repeatedBlocks(size: 9, filler: 22),
            relaxed: [
                "max_duplicate_ngram_fractions": .array([
                    .double(0.15), .double(0.14), .double(0.13), .double(0.12), .double(1), .double(0.1),
                ])
            ]),
        QualityRow(
            stage: "gopher_repetition", reason: "quality.gopher_dup_10gram",
            text: Fixtures.repeatedBlocks(size: 10, filler: 27),
            relaxed: [
                "max_duplicate_ngram_fractions": .array([
                    .double(0.15), .double(0.14), .double(0.13), .double(0.12), .double(0.11), .double(1),
                ])
            ]),

        // fineweb_quality
        QualityRow(
            stage: "fineweb_quality", reason: "quality.fineweb_terminal_punctuation",
            text: joined(Fixtures.lines(count: 8, perLine: 8, end: "")),
            relaxed: ["min_terminal_punctuation_fraction": 0]),
        QualityRow(
            stage: "fineweb_quality", reason: "quality.fineweb_short_lines",
            text: joined(Fixtures.lines(count: 10, perLine: 3) + Fixtures.lines(from: 100, count: 3, perLine: 10)),
            relaxed: ["max_short_line_fraction": 1]),
        QualityRow(
            stage: "fineweb_quality", reason: "quality.fineweb_dup_line_chars",
            text: joined(Fixtures.lines(count: 6, perLine: 8) + Fixtures.lines(count: 1, perLine: 8)),
            relaxed: ["max_duplicate_line_char_fraction": 1]),
        QualityRow(
            stage: "fineweb_quality", reason: "quality.fineweb_newline_ratio",
            text: joined(
                (0..<10).map { Fixtures.words($0 * 6, 3).joined() + " " + Fixtures.words($0 * 6 + 3, 3).joined() + "." }
            ),
            relaxed: ["max_newline_word_ratio": 1]),

        // c4_quality
        QualityRow(
            stage: "c4_quality", reason: "quality.c4_lorem_ipsum",
            text: "Headline\n\nLOREM Ipsum dolor sit amet, consectetur adipiscing elit.",
            relaxed: ["drop_lorem_ipsum": false]),
        QualityRow(
            stage: "c4_quality", reason: "quality.c4_curly_bracket",
            text: "The parser accepts {\"a\": 1} as input.", settings: ["drop_curly_bracket": true], relaxed: [:]),
    ]

    @Test(arguments: rows)
    func dropsForItsRule(row: QualityRow) throws {
        let (verdict, _) = try runStages([row.stage], text: row.text, settings: [row.stage: row.settings])
        guard case .drop(let reason) = verdict else {
            Issue.record("kept, expected \(row.reason)")
            return
        }
        #expect(reason.code == row.reason, "details: \(reason.details)")
        if !row.reason.hasPrefix("quality.c4") {
            #expect(reason.details["value"] != nil)
            #expect(reason.details["threshold"] != nil)
        }
    }

    @Test(arguments: rows)
    func keepsWhenItsRuleIsOff(row: QualityRow) throws {
        let (verdict, _) = try runStages([row.stage], text: row.text, settings: [row.stage: row.relaxed])
        #expect(verdict == .keep, "\(verdict)")
    }

    @Test(arguments: [
        ("english news", Fixtures.englishNews, "en"),
        ("numbered list", Fixtures.numberedList, "en"),
        ("german news", Fixtures.germanNews, "de"),
        ("russian news", Fixtures.russianNews, "ru"),
        ("chinese news", Fixtures.chineseNews, "zh"),
    ])
    func defaultPipelineKeepsNews(name: String, text: String, lang: String) throws {
        let cleaning = StageCatalog.defaultNames.filter { !$0.hasSuffix("_dedup") }
        let (verdict, document) = try runStages(cleaning + StageCatalog.qualityNames, text: text)
        #expect(verdict == .keep, "\(name): \(verdict)")
        #expect(document.metadata["lang"] == .string(lang))
        #expect(document.metadata["quality"]?.objectValue?["words"]?.intValue ?? 0 >= 50)
    }

    @Test func shortNewsPassesWithALowerWordMinimum() throws {
        let brief =
            "The bridge on Main Street will be closed for repairs from Monday, the city said. Buses are diverted."
        let (dropped, _) = try runStages(["gopher_quality"], text: brief)
        #expect(dropped != .keep)
        let (verdict, _) = try runStages(
            ["gopher_quality"], text: brief, settings: ["gopher_quality": ["min_words": 10]])
        #expect(verdict == .keep)
    }

    @Test func stopWordsFollowTheDetectedLanguage() throws {
        // Russian text has no English stop words, but the Russian list is used after `language`.
        let (asEnglish, _) = try runStages(["gopher_quality"], text: Fixtures.russianNews)
        #expect(asEnglish != .keep)
        let (verdict, _) = try runStages(["language", "gopher_quality"], text: Fixtures.russianNews)
        #expect(verdict == .keep)
    }
}
