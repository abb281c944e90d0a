import WinnowCore
import WinnowText

/// FineWeb's quality rules (Penedo et al. 2024, "The FineWeb Datasets"), in the semantics of datatrove's
/// `FineWebQualityFilter`: lines ending in terminal punctuation, short lines, characters in duplicated
/// lines, and line breaks per word (list-like pages).
public struct FineWebQualityFilter: ConfigurableStage {
    /// The thresholds; each default is FineWeb's published value.
    public struct Configuration: StageConfiguration {
        /// Fewest lines ending in terminal punctuation (FineWeb: 0.12).
        public var minTerminalPunctuationFraction = 0.12
        /// A line this many characters long or shorter is short (FineWeb: 30).
        public var shortLineLength = 30
        /// Most short lines (FineWeb: 0.67).
        public var maxShortLineFraction = 0.67
        /// Most characters in lines that repeat an earlier line, against the text without line breaks
        /// (FineWeb paper: 0.1; datatrove's code default is 0.01).
        public var maxDuplicateLineCharFraction = 0.1
        /// Most line breaks per word (FineWeb: 0.3).
        public var maxNewlineWordRatio = 0.3

        public init() {}
    }

    public let name = "fineweb_quality"
    private let configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        var text = document.text
        let words = document.splitWords().count
        return text.withUTF8 { check($0, words: words) }
    }

    private func check(_ bytes: UnsafeBufferPointer<UInt8>, words: Int) -> Verdict {
        let c = configuration
        var lines: [TextSpan] = []
        TextSpan.lines(in: bytes, into: &lines)
        guard !lines.isEmpty else { return .keep }
        let shapes = QualitySignals.lineShapes(bytes, lines: lines, shortLength: c.shortLineLength)
        let count = Double(shapes.count)

        let terminal = Double(shapes.terminal) / count
        if terminal < c.minTerminalPunctuationFraction {
            return .drop(
                .quality("fineweb_terminal_punctuation", value: terminal, threshold: c.minTerminalPunctuationFraction))
        }
        let short = Double(shapes.short) / count
        if short > c.maxShortLineFraction {
            return .drop(.quality("fineweb_short_lines", value: short, threshold: c.maxShortLineFraction))
        }
        let repetition = Repetition()
        let duplicated = Double(repetition.duplicates(of: lines, in: bytes).bytes) / Double(max(shapes.bytes, 1))
        if duplicated > c.maxDuplicateLineCharFraction {
            return .drop(
                .quality("fineweb_dup_line_chars", value: duplicated, threshold: c.maxDuplicateLineCharFraction))
        }
        var newlines = 0
        for byte in bytes where byte == 0x0A { newlines += 1 }
        let ratio = Double(newlines) / Double(max(words, 1))
        if ratio > c.maxNewlineWordRatio {
            return .drop(.quality("fineweb_newline_ratio", value: ratio, threshold: c.maxNewlineWordRatio))
        }
        return .keep
    }
}
