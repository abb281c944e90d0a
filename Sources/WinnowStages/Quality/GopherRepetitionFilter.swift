import WinnowCore
import WinnowText

/// Gopher's repetition rules (Rae et al. 2021, appendix A, table A1), in the semantics of datatrove's
/// `GopherRepetitionFilter`: duplicate paragraphs and lines (by count and by characters), the share of
/// the text in the most frequent 2-, 3- and 4-gram, and in repeated 5- to 10-grams. Character shares
/// are measured in UTF-8 bytes against the whole text.
public struct GopherRepetitionFilter: ConfigurableStage {
    /// The thresholds; each default is Gopher's published value.
    public struct Configuration: StageConfiguration {
        /// Most lines that repeat an earlier line, as a share of lines (Gopher: 0.30).
        public var maxDuplicateLineFraction = 0.30
        /// Most paragraphs that repeat an earlier paragraph, as a share of paragraphs (Gopher: 0.30).
        public var maxDuplicateParagraphFraction = 0.30
        /// Most characters in repeated lines (Gopher: 0.20).
        public var maxDuplicateLineCharFraction = 0.20
        /// Most characters in repeated paragraphs (Gopher: 0.20).
        public var maxDuplicateParagraphCharFraction = 0.20
        /// Most characters in the most frequent 2-, 3- and 4-gram, in that order (Gopher: 0.20, 0.18, 0.16).
        /// A shorter list checks fewer n-gram sizes.
        public var maxTopNgramFractions = [0.20, 0.18, 0.16]
        /// Most characters in repeated 5- to 10-grams, in that order (Gopher: 0.15, 0.14, 0.13, 0.12, 0.11, 0.10).
        public var maxDuplicateNgramFractions = [0.15, 0.14, 0.13, 0.12, 0.11, 0.10]

        public init() {}
    }

    public let name = "gopher_repetition"
    private let configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        var text = document.text
        let words = document.splitWords()
        return text.withUTF8 { check($0, words: words) }
    }

    private func check(_ bytes: UnsafeBufferPointer<UInt8>, words: [WordSpan]) -> Verdict {
        let c = configuration
        guard !bytes.isEmpty else { return .keep }
        let length = Double(bytes.count)
        var repetition = Repetition()
        var spans: [TextSpan] = []

        for (paragraphs, rule) in [(true, "para"), (false, "line")] {
            if paragraphs {
                TextSpan.paragraphs(in: bytes, into: &spans)
            } else {
                TextSpan.lines(in: bytes, into: &spans)
            }
            guard !spans.isEmpty else { continue }
            let repeats = repetition.duplicates(of: spans, in: bytes)
            let fraction = Double(repeats.count) / Double(spans.count)
            let maxFraction = paragraphs ? c.maxDuplicateParagraphFraction : c.maxDuplicateLineFraction
            if fraction > maxFraction {
                return .drop(.quality("gopher_dup_\(rule)_fraction", value: fraction, threshold: maxFraction))
            }
            let chars = Double(repeats.bytes) / length
            let maxChars = paragraphs ? c.maxDuplicateParagraphCharFraction : c.maxDuplicateLineCharFraction
            if chars > maxChars {
                return .drop(.quality("gopher_dup_\(rule)_chars", value: chars, threshold: maxChars))
            }
        }

        repetition.prepare(words: words, in: bytes)
        // Once no n-gram of some size repeats, no longer one can: the remaining passes are skipped.
        var repeatFree = repetition.hasRepeatedWord ? Int.max : 1
        for (offset, threshold) in c.maxTopNgramFractions.prefix(3).enumerated() where offset + 2 < repeatFree {
            let n = offset + 2
            let repeated = repetition.topNGramBytes(n)
            if repeated == 0 { repeatFree = n }
            let fraction = Double(repeated) / length
            if fraction > threshold {
                return .drop(.quality("gopher_top_\(n)gram", value: fraction, threshold: threshold))
            }
        }
        for (offset, threshold) in c.maxDuplicateNgramFractions.prefix(6).enumerated() where offset + 5 < repeatFree {
            let n = offset + 5
            let repeated = repetition.duplicateNGramBytes(n)
            if repeated == 0 { repeatFree = n }
            let fraction = Double(repeated) / length
            if fraction > threshold {
                return .drop(.quality("gopher_dup_\(n)gram", value: fraction, threshold: threshold))
            }
        }
        return .keep
    }
}
