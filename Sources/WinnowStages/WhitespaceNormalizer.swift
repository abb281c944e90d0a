import WinnowCore
import WinnowText

/// Normalizes line breaks and spacing and folds blank-line runs (see `WhitespaceNormalization`);
/// records the input's line count as `metadata.lines_in`.
public struct WhitespaceNormalizer: Stage {
    public let name = "whitespace"

    public init() {}

    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        let result = WhitespaceNormalization.normalize(document.text)
        document.text = result.text
        if document.metadata["lines_in"] == nil { document.metadata["lines_in"] = .int(result.linesIn) }
        return .keep
    }
}
