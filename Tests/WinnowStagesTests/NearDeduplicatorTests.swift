import Testing
import WinnowCore
import WinnowStages

private struct NoExact: ExactIndexReading {
    func keptDocument(forExactKey key: Hash128) throws -> String? { nil }
}

private let paragraphs = [
    "The city council of Lowbridge approved a new harbour budget on Tuesday, ending months of debate over the cost"
        + " of repairing the old sea wall and dredging the northern channel before the winter storms arrive.",
    "Councillors voted nine to four in favour of the plan, which raises the harbour fee for large vessels and sets"
        + " aside money for a new pilot boat, the mayor said after the meeting in the town hall.",
    "Fishing crews had warned that the silted channel made night departures dangerous, and two boats ran aground"
        + " there last winter, according to the harbour master, who welcomed the decision.",
]

@Suite struct NearDeduplicatorTests {
    private func stage() throws -> any Stage {
        try #require(try StageCatalog.stages(named: ["near_dedup"]).first)
    }

    /// Runs `texts` in order through one context, remembering kept documents; returns each verdict.
    private func run(_ texts: [String]) throws -> [Verdict] {
        let stage = try stage()
        let context = StageContext(exactIndex: NoExact())
        return texts.enumerated().map { index, text in
            var document = Document(id: "doc-\(index)", text: text)
            let verdict = stage.apply(to: &document, context: context)
            if verdict == .keep { context.remember(document) }
            return verdict
        }
    }

    @Test func keepsTheFirstAndNamesItForCopies() throws {
        let original = paragraphs.joined(separator: "\n\n")
        let rewrapped = "Share this article\n" + paragraphs.joined(separator: "\n").uppercased() + "\nRelated stories"
        let edited = original.replacingOccurrences(of: "nine to four", with: "ten to three")
        let verdicts = try run([original, rewrapped, edited])
        #expect(verdicts[0] == .keep)
        for verdict in verdicts.dropFirst() {
            guard case .drop(let reason) = verdict else {
                Issue.record("expected near_duplicate, got \(verdict)")
                continue
            }
            #expect(reason.code == "near_duplicate")
            #expect(reason.details["duplicate_of"] == .string("doc-0"))
        }
    }

    @Test func keepsADifferentStoryOnTheSameTopic() throws {
        let other =
            "The harbour master of Lowbridge said on Wednesday that dredging of the northern channel would"
            + " start in March, after the council agreed to fund the work, and that the ferry timetable would not"
            + " change while the sea wall is repaired. Fishing crews said they were relieved but worried about costs."
        #expect(try run([paragraphs.joined(separator: "\n\n"), other]) == [.keep, .keep])
    }

    @Test func shortDocumentsAreLeftToTheExactKey() throws {
        #expect(try run(["Harbour budget approved.", "Harbour budget approved!"]) == [.keep, .keep])
    }
}
