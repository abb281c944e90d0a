import WinnowCore

/// Drops documents with no text left (reason `empty`).
public struct EmptyFilter: DocumentFilter {
    public let name = "empty"

    public init() {}

    public func verdict(for document: Document, context: StageContext) -> Verdict {
        document.text.isEmpty ? .drop(.empty) : .keep
    }
}
