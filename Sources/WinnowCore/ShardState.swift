/// What the ledger knows of one output shard: how many bytes of it are committed, and whether it is
/// sealed (never written again).
public struct ShardState: Sendable, Equatable {
    public var name: String
    public var stream: String
    public var sequence: Int
    public var committedBytes: Int
    public var sealed: Bool

    public init(name: String, stream: String, sequence: Int, committedBytes: Int, sealed: Bool) {
        self.name = name
        self.stream = stream
        self.sequence = sequence
        self.committedBytes = committedBytes
        self.sealed = sealed
    }
}
