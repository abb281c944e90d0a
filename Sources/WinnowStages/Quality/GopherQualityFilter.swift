import WinnowCore
import WinnowText

/// Gopher's document quality rules (Rae et al. 2021, "Scaling Language Models", appendix A), in the
/// semantics of datatrove's `GopherQualityFilter`: word count, mean word length, symbol-to-word ratios,
/// bullet and ellipsis lines, words with letters, stop words. Words come from `WordTokenizer`. It never
/// changes the text; a kept document gets `metadata.quality` (`words`, `mean_word_length`).
public struct GopherQualityFilter: Stage, ConfigurableStage {
    /// The thresholds; each default is Gopher's published value.
    public struct Configuration: StageConfiguration {
        /// Fewest words (Gopher: 50). Short news briefs have fewer: lower it (e.g. 20) for a news feed.
        public var minWords = 50
        /// Most words (Gopher: 100,000).
        public var maxWords = 100_000
        /// Mean word length in characters, at least (Gopher: 3) …
        public var minMeanWordLength = 3.0
        /// … and at most (Gopher: 10). Skipped for text mostly in scripts without spaces.
        public var maxMeanWordLength = 10.0
        /// Most "#" per word, and most "..."/"…" per word (Gopher: 0.1 each).
        public var maxSymbolWordRatio = 0.1
        /// Most lines starting with a bullet (Gopher: 0.9).
        public var maxBulletLineFraction = 0.9
        /// Most lines ending in an ellipsis (Gopher: 0.3).
        public var maxEllipsisLineFraction = 0.3
        /// Fewest words with at least one letter (Gopher: 80 %).
        public var minAlphaWordFraction = 0.8
        /// Fewest stop words of the document's language (Gopher: 2); languages without a list skip it.
        public var minStopWords = 2
        /// The language assumed when `metadata.lang` is absent (the `language` stage did not run).
        public var fallbackLanguage = "en"

        public init() {}
    }

    public let name = "gopher_quality"
    private let configuration: Configuration
    private let stopWords: [String: StopWords]

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        stopWords = StopWords.lists.keys.reduce(into: [:]) { $0[$1] = StopWords(language: $1) }
    }

    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        let language = document.metadata["lang"]?.stringValue ?? configuration.fallbackLanguage
        let words = document.splitWords()
        var text = document.text
        var statistics = WordStatistics([])
        let verdict = text.withUTF8 {
            check($0, words: words, stopWords: stopWords[language], statistics: &statistics)
        }
        if verdict == .keep {
            var quality = document.metadata["quality"]?.objectValue ?? JSONObject()
            quality["words"] = .int(statistics.count)
            if let mean = statistics.meanWordLength {
                quality["mean_word_length"] = .double((mean * 100).rounded() / 100)
            }
            document.metadata["quality"] = .object(quality)
        }
        return verdict
    }

    private func check(
        _ bytes: UnsafeBufferPointer<UInt8>, words: [WordSpan], stopWords: StopWords?, statistics: inout WordStatistics
    ) -> Verdict {
        let c = configuration
        statistics = WordStatistics(words)
        let count = words.count
        if count < c.minWords { return .drop(.quality("gopher_word_count", count: count, threshold: c.minWords)) }
        if count > c.maxWords { return .drop(.quality("gopher_word_count", count: count, threshold: c.maxWords)) }
        guard count > 0 else { return .keep }
        let total = Double(count)

        if let mean = statistics.meanWordLength {
            if mean < c.minMeanWordLength {
                return .drop(.quality("gopher_mean_word_length", value: mean, threshold: c.minMeanWordLength))
            }
            if mean > c.maxMeanWordLength {
                return .drop(.quality("gopher_mean_word_length", value: mean, threshold: c.maxMeanWordLength))
            }
        }
        let symbols = QualitySignals.symbolCounts(bytes)
        for ratio in [Double(symbols.hashes) / total, Double(symbols.ellipses) / total]
        where ratio > c.maxSymbolWordRatio {
            return .drop(.quality("gopher_symbol_ratio", value: ratio, threshold: c.maxSymbolWordRatio))
        }

        let lines = QualitySignals.lineShapes(bytes)
        if lines.count > 0 {
            let bullets = Double(lines.bullets) / Double(lines.count)
            if bullets > c.maxBulletLineFraction {
                return .drop(.quality("gopher_bullet_lines", value: bullets, threshold: c.maxBulletLineFraction))
            }
            let ellipses = Double(lines.ellipses) / Double(lines.count)
            if ellipses > c.maxEllipsisLineFraction {
                return .drop(.quality("gopher_ellipsis_lines", value: ellipses, threshold: c.maxEllipsisLineFraction))
            }
        }

        let alpha = statistics.alphaFraction
        if alpha < c.minAlphaWordFraction {
            return .drop(.quality("gopher_alpha_words", value: alpha, threshold: c.minAlphaWordFraction))
        }

        if let stopWords, c.minStopWords > 0 {
            let found = stopWords.count(in: words, bytes: bytes, limit: c.minStopWords)
            if found < c.minStopWords {
                return .drop(.quality("gopher_stop_words", count: found, threshold: c.minStopWords))
            }
        }
        return .keep
    }
}
