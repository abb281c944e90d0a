import WinnowCore
import WinnowText

/// Repairs markup and encoding debris in text documents (see `MarkupCleaning`): stray tags and
/// entities, markdown emphasis, TeX commands, bidirectional controls and mojibake.
public struct MarkupNormalizer: Stage {
    public let name = "markup"

    public init() {}

    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        guard document.format == .text else { return .keep }
        document.text = MarkupCleaning.clean(document.text)
        return .keep
    }
}
