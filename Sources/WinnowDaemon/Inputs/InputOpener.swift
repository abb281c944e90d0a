import WinnowCore
import WinnowIO
import WinnowText

/// Turns an open input file into the reader of its documents, the same way for the daemon and for
/// `winnowctl clean`.
enum InputOpener {
    /// XXH3-128 of the file's raw bytes (read from the current position to the end).
    static func hash(_ source: FileByteSource) throws -> Hash128 {
        let hasher = XXH3Hasher()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        return hasher.finalize()
    }

    /// The reader for `source` (positioned at its start) named `name` as dropped. Throws
    /// `InputError` when the content cannot be opened (a corrupt compressed header).
    static func reader(
        for source: FileByteSource, name: String, contentHash: Hash128, configuration: Configuration
    ) throws -> any DocumentReader {
        var head = [UInt8](repeating: 0, count: 4)
        let headCount = try head.withUnsafeMutableBytes { try source.read(into: $0) }
        try source.rewind()
        let format = InputFormat.detect(name: name, head: Array(head.prefix(headCount)))
        let identity = InputIdentity(name: name, contentHash: contentHash)
        let bytes = try format.open(source, limit: configuration.maxDecompressedBytes)
        switch format.kind {
        case .text:
            return TextDocumentReader(source: bytes, identity: identity, maximumBytes: configuration.maxDocumentBytes)
        case .jsonl:
            return JSONLDocumentReader(source: bytes, identity: identity, maximumBytes: configuration.maxDocumentBytes)
        }
    }
}
