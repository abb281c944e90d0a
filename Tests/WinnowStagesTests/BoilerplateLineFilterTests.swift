import Foundation
import Testing
import WinnowCore
import WinnowStages

/// A small story of our own, four paragraphs and a title, that boilerplate is inserted into.
private let title = "Lowbridge council approves a new harbour budget"
private let story = [
    "The city council of Lowbridge approved a new harbour budget on Tuesday, ending months of debate over the"
        + " cost of repairing the old sea wall and dredging the northern channel.",
    "Councillors voted nine to four in favour of the plan, which raises the harbour fee for large vessels and"
        + " sets aside money for a new pilot boat, the mayor said after the meeting.",
    "Fishing crews had warned that the silted channel made night departures dangerous, and two boats ran"
        + " aground there last winter, according to the harbour master.",
    "Work on the sea wall is expected to begin in the spring and to last about eighteen months, with the"
        + " channel dredged first so that the ferry timetable is not disrupted.",
]

enum Place: Sendable { case head, middle, tail }

private func clean(_ lines: [String]) throws -> Document {
    let stage = try #require(try StageCatalog.stages(named: ["boilerplate_lines"]).first)
    var document = Document(id: "t-0", text: lines.joined(separator: "\n\n"))
    document.droppedLineLog = []
    let context = StageContext(exactIndex: NoIndex())
    #expect(stage.apply(to: &document, context: context) == .keep)
    return document
}

private struct NoIndex: ExactIndexReading {
    func keptDocument(forExactKey key: Hash128) throws -> String? { nil }
}

private func page(inserting lines: [String], at place: Place) -> [String] {
    switch place {
    case .head: lines + [title] + story
    case .middle: [title] + story.prefix(2) + lines + story.dropFirst(2)
    case .tail: [title] + story + lines
    }
}

@Suite struct BoilerplateLineFilterTests {
    /// One row per rule: the inserted lines must go, with that rule, and the story must stay whole.
    @Test(arguments: [
        ("social_embed", ["Big news from the harbour today pic.twitter.com/AbCdEf123"], Place.middle),
        ("social_embed", ["— Harbour Watch (@harbourwatch) March 3, 2025"], .middle),
        ("hashtags", ["#Lowbridge #Harbour #Budget #Council #News"], .tail),
        ("link_only", ["https://example.org/harbour/budget-2025"], .middle),
        ("caption", ["Item 2 of 5 The northern channel at low tide, seen from the old sea wall."], .middle),
        ("caption", ["[2/5]The northern channel at low tide, seen from the old sea wall."], .middle),
        ("video_title", ["How the harbour budget will change the ferry timetable 03:12"], .middle),
        ("date_line", ["Wednesday, March 5, 2025"], .head),
        ("date_line", ["Updated: March 5, 2025 10:42 AM GMT"], .middle),
        ("breadcrumb", ["Home › Local › Harbour"], .head),
        ("comment_form", ["Leave a Reply", "Your email address will not be published."], .tail),
        ("related", ["Related articles"], .tail),
        ("share", ["Share this article"], .middle),
        ("newsletter", ["Sign up for our morning briefing"], .tail),
        ("navigation", ["Skip to main content"], .head),
        ("legal", ["Copyright 2025 Lowbridge Courier. All rights reserved."], .tail),
        ("advert", ["Advertisement"], .middle),
        ("podcast_pitch", ["Learn more about your ad choices at example.com/adchoices"], .tail),
        ("link_text", ["Our editorial standards, opens new tab"], .tail),
        ("byline", ["By Ada Marsh and Tom Reed"], .head),
        ("credits", ["Reporting by Ada Marsh; editing by Tom Reed"], .tail),
        ("photo_credit", ["Photo by Ada Marsh"], .middle),
        ("caption_credit", ["The mayor at the harbour on Monday. Photo courtesy of the city"], .middle),
        (
            "author_bio",
            [
                "Ada Marsh is a veteran journalist with over twenty years of experience. She covers local politics"
                    + " and previously worked for a national daily."
            ], .tail
        ),
        (
            "promotion", ["Get unlimited digital access to every story and exclusive newsletters for one low price!"],
            .tail
        ),
        ("no_text", ["* * *"], .middle),
        ("unrelated_headline", ["Three injured as lorry overturns on motorway slip road near Exeter"], .middle),
    ])
    func removesWithRule(rule: String, lines: [String], place: Place) throws {
        let document = try clean(page(inserting: lines, at: place))
        let dropped = document.droppedLineLog ?? []
        #expect(dropped.map(\.text) == lines, "dropped: \(dropped)")
        #expect(dropped.contains { $0.rule == rule }, "rules: \(dropped.map(\.rule))")
        for paragraph in story + [title] { #expect(document.text.contains(paragraph)) }
        #expect(document.droppedLines.values.reduce(0, +) == lines.count)
    }

    /// Lines that only look short or unusual must survive.
    @Test(arguments: [
        ["Harbour fees", "The fee for vessels over 50 metres rises by a fifth."],
        ["“We waited long enough,” one skipper said."],
        ["1. Repair the sea wall", "2. Dredge the northern channel", "3. Buy a pilot boat"],
        ["Councillor Reed: “The channel comes first.”"],
        // A list whose words appear nowhere else on the page is still a list, not a teaser.
        [
            "Heated indoor swimming pool with sauna", "Sparkling reception on the lake terrace",
            "Free parking for wedding guests",
        ],
        ["By the end of the meeting, most of the public gallery had left."],
    ])
    func keepsStoryLines(lines: [String]) throws {
        let document = try clean(page(inserting: lines, at: .middle))
        #expect(document.droppedLineLog == [])
        for line in lines { #expect(document.text.contains(line)) }
    }

    @Test func keepsTwoArticlesOnOnePage() throws {
        let second = [
            "Ferry operators welcome the dredging plan",
            "The two ferry companies serving Lowbridge said the dredging would let them keep to their winter"
                + " timetable for the first time in three years.",
            "Both companies said they would not raise ticket prices this year, despite the higher harbour fee for"
                + " large vessels agreed by the council.",
        ]
        let document = try clean([title] + story + ["Reporting by Ada Marsh"] + second)
        for line in [title] + story + second { #expect(document.text.contains(line)) }
        #expect(document.droppedLineLog?.map(\.rule) == ["credits"])
    }

    @Test func tailAndHeadRunsGoWhenFurnitureIsThere() throws {
        let document = try clean(
            ["Lowbridge Courier", "Wednesday, March 5, 2025"] + [title] + story
                + ["Subscribe", "What you get", "Print edition", "Cancel anytime"])
        #expect(document.text == ([title] + story).joined(separator: "\n\n"))
        #expect(document.droppedLines["page_head"] == 1 && document.droppedLines["page_tail"] == 3)
    }

    @Test func titleAboveADatelineStays() throws {
        let document = try clean([title, "Wednesday, March 5, 2025", "By Ada Marsh"] + story)
        #expect(document.text == ([title] + story).joined(separator: "\n\n"))
        #expect(document.droppedLineLog?.map(\.rule) == ["date_line", "byline"])
    }

    @Test func hardWrappedTextIsJudgedBySentences() throws {
        let wrapped = """
            The city council of Lowbridge approved a new harbour budget
            on Tuesday, ending months of debate over the cost of
            repairing the old sea wall and dredging the channel.
            Councillors voted nine to four in favour of the plan, which
            raises the harbour fee for large vessels and sets aside
            money for a new pilot boat, the mayor said.
            Harbour fees for 2025
            Vessels over 50 metres 120 vs 100
            Vessels under 50 metres 60 vs 55
            """
        let document = try clean([wrapped])
        #expect(document.droppedLineLog == [])
    }
}

@Suite struct BuiltInRulesFileTests {
    @Test func shippedRulesFileMatchesTheBuiltInRules() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Deploy/boilerplate-rules.toml").path
        if ProcessInfo.processInfo.environment["WINNOW_REGENERATE"] == "1" {
            try BoilerplateLineFilter.builtInRulesTOML().write(toFile: path, atomically: true, encoding: .utf8)
        }
        let shipped = try String(contentsOfFile: path, encoding: .utf8)
        #expect(shipped == BoilerplateLineFilter.builtInRulesTOML(), "run this test with WINNOW_REGENERATE=1")
    }
}
