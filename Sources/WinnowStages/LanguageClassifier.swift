import WinnowCore
import WinnowText

/// Identifies the document's language with CLD2 and writes `metadata.lang` (ISO 639-1) and
/// `metadata.lang_score` (0–1); with an allow-list, drops other languages (reason `language`).
public struct LanguageClassifier: Stage, ConfigurableStage {
    /// The allow-list.
    public struct Configuration: StageConfiguration {
        /// Languages to keep (ISO 639-1 codes); empty keeps every language.
        public var keep: [String] = []
        /// With an allow-list, the lowest score a kept document needs (FineWeb: 0.65 on its language model).
        public var minScore = 0.65

        public init() {}
    }

    public let name = "language"
    private let configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        let guess = LanguageIdentifier.identify(document.text)
        let score = (guess.score * 1000).rounded() / 1000
        document.metadata["lang"] = .string(guess.code)
        document.metadata["lang_score"] = .double(score)
        guard !configuration.keep.isEmpty else { return .keep }
        if configuration.keep.contains(guess.code), score >= configuration.minScore { return .keep }
        return .drop(DropReason("language", details: ["lang": .string(guess.code), "score": .double(score)]))
    }
}
