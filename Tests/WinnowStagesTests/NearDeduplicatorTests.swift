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

/// Another story of the same town, for pages that carry two.
private let secondStory =
    "Lowbridge library will open on Sundays from next month, the head librarian announced on Friday, after"
    + " volunteers offered to staff the reading room and the children's corner. The extra hours are paid for"
    + " by a bequest from a former teacher, who left the library her house and her collection of maps. Local"
    + " schools welcomed the change and plan weekend reading clubs for pupils preparing for their exams."

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
        _ = nearDuplicatesOfTheFirst(verdicts.dropFirst())
    }

    /// The reasons of `verdicts`, each expected to be `near_duplicate` of `doc-0`.
    private func nearDuplicatesOfTheFirst(_ verdicts: ArraySlice<Verdict>) -> [DropReason] {
        verdicts.compactMap { verdict in
            guard case .drop(let reason) = verdict else {
                Issue.record("expected near_duplicate, got \(verdict)")
                return nil
            }
            #expect(reason.code == "near_duplicate")
            #expect(reason.details["duplicate_of"] == .string("doc-0"))
            return reason
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

    /// A page that carries two stories is kept; a later clean copy of one of them shares only about
    /// half of the page's shingles (Jaccard near 0.5) but is contained in it.
    @Test func aCopyOfOneOfTwoArticlesOnAKeptPageIsContained() throws {
        let first = paragraphs.joined(separator: "\n\n")
        let page = first + "\n\nMore local news\n\n" + secondStory
        let verdicts = try run([page, "Harbour news.\n" + first, secondStory])
        #expect(verdicts[0] == .keep)
        let reasons = nearDuplicatesOfTheFirst(verdicts.dropFirst())
        #expect(reasons.count == 2)
        for reason in reasons {
            guard case .double(let containment)? = reason.details["containment"],
                case .double(let similarity)? = reason.details["similarity"]
            else {
                Issue.record("containment and similarity expected in \(reason.details)")
                continue
            }
            #expect(containment >= 0.8 && similarity < 0.75, "containment \(containment), similarity \(similarity)")
        }
    }

    @Test func containmentCanBeTurnedOff() throws {
        let stage = try #require(
            try StageCatalog.stages(
                named: ["near_dedup"], settings: ["near_dedup": ["containment": .double(1.5)]]
            ).first)
        let context = StageContext(exactIndex: NoExact())
        let first = paragraphs.joined(separator: "\n\n")
        var page = Document(id: "page", text: first + "\n\n" + secondStory)
        #expect(stage.apply(to: &page, context: context) == .keep)
        context.remember(page)
        var copy = Document(id: "copy", text: first)
        #expect(stage.apply(to: &copy, context: context) == .keep)
    }

    /// Short copies with one word in ten replaced share about 60% of their shingles with the original:
    /// a dozen sampled values can still come out at 0.8 by chance, but the containment the signatures
    /// imply does not, so none of them is flagged; clean halves of long pages all are.
    @Test func sampledContainmentIsCheckedAgainstTheSignatures() throws {
        var state: UInt64 = 99
        func word() -> String {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return String(state >> 40, radix: 26).map { $0.isNumber ? "q" : $0 }.reduce(into: "") { $0.append($1) }
        }
        let stage = try stage()
        let context = StageContext(exactIndex: NoExact())
        var editedFlagged = 0
        var halvesFlagged = 0
        for number in 0..<200 {
            let original = (0..<60).map { _ in word() }
            var kept = Document(id: "original-\(number)", text: original.joined(separator: " "))
            #expect(stage.apply(to: &kept, context: context) == .keep)
            context.remember(kept)
            var edited = original
            for index in stride(from: number % 10, to: edited.count, by: 10) { edited[index] = word() }
            var copy = Document(id: "edited-\(number)", text: edited.joined(separator: " "))
            if stage.apply(to: &copy, context: context) != .keep { editedFlagged += 1 }

            let other = (0..<60).map { _ in word() }
            var page = Document(id: "page-\(number)", text: (original + other).joined(separator: " ") + " end")
            _ = stage.apply(to: &page, context: context)
            context.remember(page)
            var half = Document(id: "half-\(number)", text: other.joined(separator: " "))
            if case .drop(let reason) = stage.apply(to: &half, context: context),
                reason.details["duplicate_of"] == .string("page-\(number)")
            {
                halvesFlagged += 1
            }
        }
        #expect(editedFlagged == 0)
        #expect(halvesFlagged >= 190, "\(halvesFlagged) of 200 halves found")
    }

    /// Documents kept in a batch but not yet committed are found by every band and fingerprint they
    /// share with a new one, each once, in the order they were kept, and never after the commit.
    @Test func pendingDocumentsAreFoundByEveryKeyTheyShare() {
        let context = StageContext(exactIndex: NoExact())
        let keys: [(id: String, bands: [UInt64], fingerprints: [UInt32])] = [
            ("a", [1, 2], [10, 11]),
            ("b", [2, 3], [11, 12]),
            ("c", [4, 2], [12, 13]),
            ("d", [5], [11, 12]),
        ]
        for key in keys {
            var document = Document(id: key.id, text: key.id)
            document.nearKey = NearKey(
                signature: [UInt32(key.bands[0])], bands: key.bands, fingerprints: key.fingerprints)
            context.remember(document)
        }
        #expect(context.nearCandidates(bands: [2]).map(\.documentID) == ["a", "b", "c"])
        #expect(context.nearCandidates(bands: [3, 2, 5]).map(\.documentID) == ["b", "a", "c", "d"])
        #expect(context.nearCandidates(bands: [9]).isEmpty)
        // Most hits first, then in the order kept.
        let contained = context.containmentCandidates(fingerprints: [11, 12, 13], minimumHits: 1, limit: 10)
        #expect(contained.map(\.documentID) == ["b", "c", "d", "a"])
        let twice = context.containmentCandidates(fingerprints: [11, 12, 13], minimumHits: 2, limit: 10)
        #expect(twice.map(\.documentID) == ["b", "c", "d"])
        context.clearPending()
        #expect(context.nearCandidates(bands: [2]).isEmpty)
        #expect(context.containmentCandidates(fingerprints: [11, 12], minimumHits: 1, limit: 10).isEmpty)
    }
}
