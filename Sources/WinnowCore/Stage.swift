/// One step of the cleaning pipeline. A stage may change the document (normalizers, extractors) or
/// only look at it (filters, deduplicators); either way it answers keep or drop-with-reason. The
/// runner around the stages does all bookkeeping: counting, timing, writing rejected records.
public protocol Stage: Sendable {
    /// The stable `snake_case` name used in configuration and stage catalogs.
    var name: String { get }

    /// Processes one document. Expected per-document problems are a `.drop`, never a thrown error.
    func apply(to document: inout Document, context: StageContext) -> Verdict

    /// Whether the stage depends on the documents before it (see the default, `false`).
    var isStateful: Bool { get }

    /// Work done ahead of `apply` (see the default, which does nothing).
    func prepare(_ document: inout Document)
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

extension Stage {
    /// Whether the stage reads or changes what earlier documents left (the dedup indexes, the
    /// repeated-line counts) through the `StageContext`. Such a stage runs on documents one at a
    /// time, in input order; every other stage is a function of the document alone, and the runner
    /// may run it on several documents at once.
    public var isStateful: Bool { false }

    /// Work a stateful stage can do ahead, on any thread and in any order, from the document alone
    /// (its dedup form, its signature), cached in the document until its text changes. `apply` must
    /// give the same answer with or without it.
    public func prepare(_ document: inout Document) {}
}
