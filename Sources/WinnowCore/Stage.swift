/// One step of the cleaning pipeline. A stage may change the document (normalizers, extractors) or
/// only look at it (filters, deduplicators); either way it answers keep or drop-with-reason. The
/// runner around the stages does all bookkeeping: counting, timing, writing rejected records.
public protocol Stage: Sendable {
    /// The stable `snake_case` name used in configuration and stage catalogs.
    var name: String { get }

    /// Processes one document. Expected per-document problems are a `.drop`, never a thrown error.
    func apply(to document: inout Document, context: StageContext) -> Verdict
}

/// A stage that only inspects the document.
public protocol DocumentFilter: Stage {
    func verdict(for document: Document, context: StageContext) -> Verdict
}

extension DocumentFilter {
    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        verdict(for: document, context: context)
    }
}
