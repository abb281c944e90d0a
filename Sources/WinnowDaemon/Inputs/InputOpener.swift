import WinnowCore
import WinnowIO
import WinnowText

/// Turns an open input file into the reader of its documents, the same way for the daemon and for
/// `winnowctl clean`.
enum InputOpener {
    /// XXH3-128 of the file's raw bytes (read from the current position to the end).
    static func hash(_ source: FileByteSource) throws -> Hash128 {
        let hasher = XXH3Hasher()
        var chunk = [UInt8](readBuffer: 1 << 20)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        return hasher.finalize()
    }

    /// The reader for `source` (positioned at its start) named `name` as dropped. Throws
    /// `InputRefusal` for content that is not text (an image, an archive) and `InputError` when the
    /// content cannot be opened (a corrupt compressed header).
    static func reader(
        for source: FileByteSource, name: String, contentHash: Hash128, configuration: Configuration
    ) throws -> any DocumentReader {
        let format = try format(of: source, name: name, limit: configuration.maxDecompressedBytes)
        let identity = InputIdentity(name: name, contentHash: contentHash)
        let bytes = try format.open(source, limit: configuration.maxDecompressedBytes)
        let maximumBytes = configuration.maxDocumentBytes
        switch format.kind {
        case .text:
            return TextDocumentReader(source: bytes, identity: identity, maximumBytes: maximumBytes)
        case .html:
            return TextDocumentReader(source: bytes, identity: identity, maximumBytes: maximumBytes, format: .html)
        case .jsonl:
            return JSONLDocumentReader(source: bytes, identity: identity, maximumBytes: maximumBytes)
        case .warc:
            return WARCDocumentReader(source: bytes, identity: identity, maximumBytes: maximumBytes)
        case .urls:
            return URLListReader(source: bytes, identity: identity)
        }
    }

    /// The format of `source` from its name and first bytes, decompressed when it is compressed;
    /// the file is left rewound. Content whose magic number says it is not text (an image, an
    /// archive) is refused here, whatever the format.
    private static func format(of source: FileByteSource, name: String, limit: Int) throws -> InputFormat {
        let head = try readPrefix(source, count: InputFormat.sniffBytes)
        try source.rewind()
        var format = InputFormat.detect(name: name, head: head)
        var content = head
        if format.compression != .none {
            content = try readPrefix(try format.open(source, limit: limit), count: InputFormat.sniffBytes)
            try source.rewind()
            format = InputFormat.detect(name: name, head: head, content: content)
        }
        if let kind = content.withUnsafeBufferPointer({ BinarySniffer.magic($0) }) {
            throw InputRefusal(description: BinaryContentError(kind: kind).description)
        }
        return format
    }

    /// Up to `count` bytes from the start of `source` (fewer only at its end).
    private static func readPrefix(_ source: any ByteSource, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let read = try bytes.withUnsafeMutableBytes {
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
            }
            if read == 0 { break }
            filled += read
        }
        return Array(bytes.prefix(filled))
    }
}
