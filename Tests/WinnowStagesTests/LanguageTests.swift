import Testing
import WinnowCore
import WinnowStages

@Suite struct LanguageTests {
    @Test(arguments: [
        (Fixtures.englishNews, "en"), (Fixtures.germanNews, "de"), (Fixtures.russianNews, "ru"),
        (Fixtures.chineseNews, "zh"),
    ])
    func writesLanguageAndScore(text: String, lang: String) throws {
        let (verdict, document) = try runStages(["language"], text: text)
        #expect(verdict == .keep)
        #expect(document.metadata["lang"] == .string(lang))
        guard case .double(let score) = document.metadata["lang_score"] else {
            Issue.record("no lang_score")
            return
        }
        #expect(score >= 0.65 && score <= 1)
    }

    @Test(arguments: [
        (Fixtures.englishNews, nil as String?), (Fixtures.germanNews, "de"), (Fixtures.chineseNews, "zh"),
        ("12345 67890", "und"),
    ])
    func allowListDropsOtherLanguages(text: String, dropped: String?) throws {
        let (verdict, _) = try runStages(["language"], text: text, settings: ["language": ["keep": .array(["en"])]])
        if let dropped {
            guard case .drop(let reason) = verdict else {
                Issue.record("kept, expected a drop")
                return
            }
            #expect(reason.code == "language")
            #expect(reason.details["lang"] == .string(dropped))
            #expect(reason.details["score"] != nil)
        } else {
            #expect(verdict == .keep)
        }
    }

    @Test func minimumScoreAppliesToTheAllowList() throws {
        let settings: [String: JSONObject] = ["language": ["keep": .array(["en"]), "min_score": .double(1.01)]]
        let (verdict, _) = try runStages(["language"], text: Fixtures.englishNews, settings: settings)
        #expect(verdict != .keep)
    }
}

@Suite struct ForeignScriptLinesTests {
    private static let cyrillicPost = "Власти города объявили о закрытии моста на ремонт"
    private static let latinPost = "Breaking: the bridge is closed for repairs until Monday"

    @Test(arguments: [
        // A Cyrillic post inside an English article, and the reverse: the post goes.
        (Fixtures.englishNews.replacingOccurrences("By Maria Lopez", cyrillicPost), cyrillicPost, true),
        (Fixtures.russianNews.replacingOccurrences("Два депутата", latinPost + "\n\nДва депутата"), latinPost, true),
        // A brand name alone on a line, and brand names inside Cyrillic sentences, stay.
        (Fixtures.russianNews + "\n\niPhone 15 Pro", "iPhone 15 Pro", false),
        (Fixtures.russianNews + "\n\nКомпания Apple представила новый iPhone и MacBook Pro.", "Apple", false),
        // A document mixed throughout keeps every line.
        (
            (0..<6).map { _ in latinPost + "\n" + cyrillicPost }.enumerated().map { "\($0.offset). \($0.element)" }
                .joined(separator: "\n"), cyrillicPost, false
        ),
    ])
    func removesShortForeignLines(text: String, line: String, removed: Bool) throws {
        let (verdict, document) = try runStages(["whitespace", "foreign_script_lines"], text: text)
        #expect(verdict == .keep)
        #expect(document.text.contains(line) == !removed)
        document.finishingAccounting { metadata in
            #expect((metadata["lines_dropped"] != nil) == removed)
        }
        if removed { #expect(!document.text.contains("\n\n\n")) }
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

extension Document {
    fileprivate func finishingAccounting(_ check: (JSONObject) -> Void) {
        var copy = self
        copy.finishLineAccounting()
        check(copy.metadata)
    }
}
