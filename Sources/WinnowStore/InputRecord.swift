/// One row of the input ledger: a claimed file and how far its processing has been committed.
public struct InputRecord: Sendable, Equatable {
    /// The lifecycle of an input in the ledger.
    public enum State: String, Sendable {
        case processing, done, duplicate, failed
    }

    public var id: Int64?
    public var name: String
    public var claimName: String
    public var contentHash: String
    public var size: Int
    public var state: State
    /// Documents (JSONL lines) committed so far: where processing resumes after a crash.
    public var unitsDone: Int
    public var kept: Int
    public var dropped: Int
    public var duplicateOf: Int64?
    public var error: String?
    /// Where a failed input waits in failed/ (nil once `retry` put it back, or for other states).
    public var failedPath: String?

    public init(
        id: Int64? = nil, name: String, claimName: String, contentHash: String, size: Int,
        state: State = .processing, unitsDone: Int = 0, kept: Int = 0, dropped: Int = 0,
        duplicateOf: Int64? = nil, error: String? = nil, failedPath: String? = nil
    ) {
        self.id = id
        self.name = name
        self.claimName = claimName
        self.contentHash = contentHash
        self.size = size
        self.state = state
        self.unitsDone = unitsDone
        self.kept = kept
        self.dropped = dropped
        self.duplicateOf = duplicateOf
        self.error = error
        self.failedPath = failedPath
    }
}
