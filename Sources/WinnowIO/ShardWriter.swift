import WinnowCore

#if canImport(Glibc)
    import Glibc
#endif

/// Appends whole JSON lines to one stream of output shards (`<stream>-<YYYYMMDD>-<NNNNNN>.jsonl`),
/// fsyncing after every append and rotating by size and by UTC day. It never decides what is
/// committed: `append` returns the shard states for the caller to commit to the ledger, and
/// `init` cuts every shard back to what the ledger says was committed (DESIGN.md section 5).
public final class ShardWriter {
    /// What recovery did to the stream's files at start.
    public struct Recovery: Sendable, Equatable {
        /// Uncommitted bytes cut from the ends of open shards.
        public var truncatedBytes = 0
        /// Shard files the ledger never committed anything to, removed.
        public var removedFiles: [String] = []
        /// Shards holding fewer bytes than the ledger committed (data lost below the daemon).
        public var shortFiles: [String] = []
    }

    public let directory: String
    public let stream: String
    private let maxBytes: Int
    private var open: (state: ShardState, descriptor: Int32)?
    private var nextSequence: Int
    private let compression: ShardCompression
    /// Shards sealed by an append whose commit has not been confirmed yet (`finishSealing`).
    private var sealedSinceCommit: [String] = []
    public private(set) var recovery = Recovery()

    /// Opens the stream in `directory`, given the ledger's view of its shards, and recovers it.
    public init(
        directory: String, stream: String, maxBytes: Int, committed: [ShardState], compression: ShardCompression = .none
    ) throws {
        self.directory = directory
        self.stream = stream
        self.maxBytes = maxBytes
        self.compression = compression
        try FileSystem.makeDirectory(directory)
        let known = Dictionary(committed.filter { $0.stream == stream }.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        var highest = known.values.map(\.sequence).max() ?? 0
        var candidate: ShardState?
        for name in try FileSystem.list(directory) {
            guard let sequence = Self.sequence(ofShard: name, stream: stream) else { continue }
            highest = max(highest, sequence)
            let path = directory + "/" + name
            guard let state = known[name] else {
                try FileSystem.remove(path)
                recovery.removedFiles.append(name)
                continue
            }
            if state.sealed {
                // Sealed and committed as such: compress it if that was interrupted (or newly configured).
                try compression.replace(name, in: directory)
                continue
            }
            let size = try FileSystem.status(path)?.size ?? 0
            if size > state.committedBytes {
                try syscall("truncate", path: path) { truncate(path, off_t(state.committedBytes)) }
                recovery.truncatedBytes += size - state.committedBytes
            } else if size < state.committedBytes {
                recovery.shortFiles.append(name)
            }
            if candidate == nil || state.sequence > candidate!.sequence {
                var current = state
                current.committedBytes = min(size, state.committedBytes)
                candidate = current
            }
        }
        nextSequence = highest + 1
        if let candidate, Self.day(ofShard: candidate.name) == Self.today() {
            let path = directory + "/" + candidate.name
            let fd = try syscall("open", path: path) { Glibc.open(path, O_WRONLY | O_APPEND | O_CLOEXEC) }
            open = (candidate, fd)
        }
    }

    deinit {
        if let open { close(open.descriptor) }
    }

    /// The shard being written, if one is open.
    public var current: ShardState? { open?.state }

    /// Whether appending `count` bytes now would leave the open shard larger than the size limit
    /// (the append would rotate first, or, into an empty shard, overfill it).
    public func isFull(adding count: Int) -> Bool {
        (open?.state.committedBytes ?? 0) + count > maxBytes
    }

    /// Appends whole lines and fsyncs them. Returns the shard states the ledger must commit: the
    /// shard written to and, after a rotation, the sealed one before it. On a write error the
    /// shard is cut back to its previous size, so no partial line is ever left behind.
    public func append(_ bytes: [UInt8]) throws(SystemError) -> [ShardState] {
        guard !bytes.isEmpty else { return [] }
        var changed: [ShardState] = []
        if let current = open, current.state.committedBytes > 0,
            isFull(adding: bytes.count) || Self.day(ofShard: current.state.name) != Self.today()
        {
            close(current.descriptor)
            var sealed = current.state
            sealed.sealed = true
            changed.append(sealed)
            sealedSinceCommit.append(sealed.name)
            open = nil
        }
        if open == nil { open = try createShard() }
        guard var state = open?.state, let descriptor = open?.descriptor else { return changed }
        do {
            try FileSystem.writeAll(descriptor, bytes, path: directory + "/" + state.name)
            try syscall("fsync", path: state.name) { fsync(descriptor) }
        } catch {
            _ = ftruncate(descriptor, off_t(state.committedBytes))
            throw error
        }
        state.committedBytes += bytes.count
        open = (state, descriptor)
        changed.append(state)
        return changed
    }

    /// Called once the ledger has committed what `append` returned: shards sealed by it are now
    /// replaced by their compressed form (with `output.compress` set). Never before the commit, so
    /// a crash can only leave a sealed shard uncompressed, which the next start finishes.
    public func finishSealing() throws {
        let names = sealedSinceCommit
        sealedSinceCommit = []
        for name in names { try compression.replace(name, in: directory) }
    }

    private func createShard() throws(SystemError) -> (ShardState, Int32) {
        let name = "\(stream)-\(Self.today())-\(Self.padded(nextSequence, width: 6)).jsonl"
        let path = directory + "/" + name
        let fd = try syscall("open", path: path) {
            Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        // The new entry must survive power loss before the ledger can point at it.
        try FileSystem.syncDirectory(directory)
        let state = ShardState(name: name, stream: stream, sequence: nextSequence, committedBytes: 0, sealed: false)
        nextSequence += 1
        return (state, fd)
    }

    /// The sequence number in a shard file name of `stream`, or `nil` if the name is not one.
    static func sequence(ofShard name: String, stream: String) -> Int? {
        let prefix = stream + "-"
        guard name.hasPrefix(prefix), name.hasSuffix(".jsonl") else { return nil }
        let middle = name.dropFirst(prefix.count).dropLast(6)
        let parts = middle.split(separator: "-")
        guard parts.count == 2, parts[0].count == 8, parts[1].count == 6,
            parts[0].allSatisfy(\.isASCIIDigit), let sequence = Int(parts[1])
        else { return nil }
        return sequence
    }

    static func day(ofShard name: String) -> Substring {
        let parts = name.split(separator: "-")
        return parts.count >= 3 ? parts[parts.count - 2] : ""
    }

    static func today() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        let year = padded(Int(parts.tm_year) + 1900, width: 4)
        return year + padded(Int(parts.tm_mon) + 1, width: 2) + padded(Int(parts.tm_mday), width: 2)
    }

    static func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
