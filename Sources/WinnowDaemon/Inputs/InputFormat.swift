import WinnowIO

/// How an input file is read: its compression (by magic number, whatever the name says) and its
/// document format (by extension, else by a look at the content).
struct InputFormat: Equatable {
    enum Compression: String { case none, gzip, zstd }
    enum Kind: String { case text, jsonl }

    var compression: Compression
    var kind: Kind

    /// Decides the format of `name` whose first bytes (as stored, before decompression) are `head`.
    static func detect(name: String, head: [UInt8]) -> InputFormat {
        let compression: Compression
        if head.starts(with: [0x1F, 0x8B]) {
            compression = .gzip
        } else if head.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) {
            compression = .zstd
        } else {
            compression = .none
        }
        var base = name.lowercased()
        for suffix in [".gz", ".zst", ".zstd"] where base.hasSuffix(suffix) {
            base.removeLast(suffix.count)
        }
        if base.hasSuffix(".jsonl") || base.hasSuffix(".ndjson") {
            return InputFormat(compression: compression, kind: .jsonl)
        }
        return InputFormat(compression: compression, kind: .text)
    }

    /// The decompressed byte stream of `file`, capped at `limit` bytes.
    func open(_ file: FileByteSource, limit: Int) throws -> any ByteSource {
        switch compression {
        case .none: return LimitedByteSource(file, limit: limit)
        case .gzip: return LimitedByteSource(try GzipByteSource(file), limit: limit)
        case .zstd: return LimitedByteSource(try ZstdByteSource(file), limit: limit)
        }
    }
}
