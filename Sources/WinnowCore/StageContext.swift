/// Read access to the persisted exact-dedup index (implemented by the store, faked in tests).
public protocol ExactIndexReading: Sendable {
    /// The id of the kept document with this key, if any.
    func keptDocument(forExactKey key: Hash128) throws -> String?
}

/// Per-input state shared by the stages while one input is processed: what earlier inputs kept (the
/// persisted index) and what this input has kept so far but not yet committed.
public final class StageContext {
    private let exactIndex: any ExactIndexReading
    private var pendingExact: [Hash128: String] = [:]
    /// A fault of the machine met by a stage (the database could not be read); the runner rethrows it.
    public private(set) var fault: (any Error)?

    public init(exactIndex: any ExactIndexReading) {
        self.exactIndex = exactIndex
    }

    /// The kept document with this exact key, in this input's uncommitted batch or in the index.
    public func keptDocument(forExactKey key: Hash128) -> String? {
        if let id = pendingExact[key] { return id }
        do {
            return try exactIndex.keptDocument(forExactKey: key)
        } catch {
            fault = error
            return nil
        }
    }

    /// Registers a kept document's dedup keys so later documents of the same input see it.
    public func remember(_ document: Document) {
        if let key = document.exactKey { pendingExact[key] = document.id }
    }

    /// Forgets uncommitted keys (after a commit they are in the index; after a rollback they never existed).
    public func clearPending() {
        pendingExact.removeAll(keepingCapacity: true)
    }
}
