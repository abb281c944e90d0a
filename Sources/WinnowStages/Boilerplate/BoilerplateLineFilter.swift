import WinnowCore
import WinnowText

/// Removes page furniture line by line from plain and extracted text alike: social embeds, hashtag
/// walls, datelines, captions and credits, video titles, bylines and bios, comment forms, share
/// buttons, "related" lists, subscription pitches and teasers for other stories. Data rules
/// (`DefaultLineRules`, extended by `extra_rules`) and line statistics classify each line alone;
/// `LineContext` then decides with its neighbours. Every removed line is counted under its rule.
public struct BoilerplateLineFilter: ConfigurableStage {
    /// Settings of `[stages.boilerplate_lines]`.
    public struct Configuration: StageConfiguration {
        /// A line of at least this many words that ends like a sentence is article text (jusText
        /// calls lines under ~10 words "short" and leaves them to context).
        public var contentMinWords = 10
        /// Distinct career phrases ("veteran journalist", "years of experience", …) that make a bio.
        public var bioMinCues = 3
        /// Distinct marketing cues that make a pitch addressed to the reader (an imperative opening
        /// or "you"/"we" outside quotations); two more are needed without that address.
        public var promoMinCues = 2
        /// A headline-like line in the story sharing less than this share of its content words with
        /// the rest of the page is a teaser for another story; 0 turns the rule off.
        public var unrelatedHeadlineMaxOverlap = 0.2
        /// Rules of your own, added to the built-in ones (see `Deploy/boilerplate-rules.toml`).
        public var extraRules: [NamedLineRule] = []

        public init() {}
    }

    public let name = "boilerplate_lines"
    private let classifier: LineClassifier

    public init(configuration: Configuration) {
        classifier = LineClassifier(configuration: configuration)
    }

    /// Drops the boilerplate lines of `document`, counting each under its rule; keeps the document.
    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        // Split as on characters, where "\r\n" is one character and ends no line.
        let lines = document.text.byteLines(crlfEndsLine: false)
        let filled = lines.indices.filter { !lines[$0].isEmpty }
        guard !filled.isEmpty else { return .keep }
        let lineProfiles = filled.map { LineProfile(lines[$0]) }
        // Logical lines, as ranges of positions in `filled`: their lines are consecutive.
        let units = LogicalLines.group(lines, filled: filled, profiles: lineProfiles)
        let unitLines = units.map { lines[filled[$0.lowerBound]...filled[$0.upperBound - 1]] }
        // A unit's profile is put together from its lines'.
        let profiles = units.map {
            $0.count == 1 ? lineProfiles[$0.lowerBound] : LineProfile(joining: lineProfiles[$0])
        }
        let classes = zip(unitLines, profiles).map { classifier.classify($0, $1) }
        let verdicts = LineContext(
            classes: classes, profiles: profiles,
            unrelatedHeadlineMaxOverlap: classifier.configuration.unrelatedHeadlineMaxOverlap
        ).verdicts
        guard verdicts.contains(where: { $0 != nil }) else { return .keep }
        var kept = Array(repeating: true, count: lines.count)
        for (unit, rule) in zip(unitLines, verdicts) {
            guard let rule else { continue }
            for index in unit.indices {
                kept[index] = false
                document.recordDroppedLine(lines[index], rule: rule)
            }
        }
        let remaining = lines.indices.filter { kept[$0] }.map { lines[$0] }.joined(separator: "\n")
        document.text = WhitespaceNormalization.normalize(remaining).text
        return .keep
    }
}

extension BoilerplateLineFilter {
    /// The built-in phrase rules written as `extra_rules` tables: the text of the shipped
    /// `Deploy/boilerplate-rules.toml` (a test keeps the two equal).
    public static func builtInRulesTOML() -> String {
        var text = """
            # The boilerplate filter's built-in phrase rules (stage boilerplate_lines), in the format of
            # [[stages.boilerplate_lines.extra_rules]] tables: copy one into your configuration under that name
            # to add phrases of your own. Phrases are plain words: case and punctuation are ignored. A rule applies
            # to lines of at most max_words words; with unpunctuated = true only to lines that do not end like a
            # sentence. The rule's name is what metadata.dropped_lines counts. Besides these, the filter knows
            # social embeds, hashtag walls, links, gallery counters, video titles, datelines, breadcrumbs, author
            # bios and subscription pitches by their shape, and judges short lines by their neighbours.

            """
        for (name, rule) in DefaultLineRules.rules.sorted(by: { $0.key < $1.key }) {
            text += "\n[[rules]]\nname = \"\(name)\"\nmatch = \"\(rule.match.rawValue)\"\n"
            text += "max_words = \(rule.maxWords)\nunpunctuated = \(rule.unpunctuated)\nphrases = [\n"
            for phrase in rule.phrases { text += "    \"\(phrase)\",\n" }
            text += "]\n"
        }
        return text
    }
}
