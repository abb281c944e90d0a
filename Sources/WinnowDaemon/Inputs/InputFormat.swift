import WinnowIO

/// How an input file is read: its compression (by magic number, whatever the name says) and its
/// document format (by extension, else by a look at the decompressed content).
struct InputFormat: Equatable {
    enum Compression: String { case none, gzip, zstd }
    enum Kind: String { case text, jsonl, html, warc, urls }

    var compression: Compression
    var kind: Kind

    /// How many bytes of the (decompressed) content the format is sniffed from.
    static let sniffBytes = 1024

    /// Decides the format of `name` whose first bytes as stored are `head` and whose first
    /// decompressed bytes are `content` (the same as `head` for an uncompressed file).
    static func detect(name: String, head: [UInt8], content: [UInt8]? = nil) -> InputFormat {
        let compression = compression(of: head)
        let content = content ?? (compression == .none ? head : [])
        return InputFormat(compression: compression, kind: kind(name: name, content: content))
    }

    /// The compression the magic number at the start of `head` announces.
    static func compression(of head: [UInt8]) -> Compression {
        if head.starts(with: [0x1F, 0x8B]) { return .gzip }
        if head.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        return .none
    }

    /// The kind the name's extension (under any compression suffix) says, else what the content
    /// looks like: a WARC version line, HTML markup, a JSON object, or text.
    static func kind(name: String, content: [UInt8]) -> Kind {
        var base = name.lowercased()
        for suffix in [".gz", ".zst", ".zstd"] where base.hasSuffix(suffix) {
            base.removeLast(suffix.count)
        }
        let extensions: [(String, Kind)] = [
            (".jsonl", .jsonl), (".ndjson", .jsonl), (".txt", .text), (".text", .text), (".html", .html),
            (".htm", .html), (".xhtml", .html), (".warc", .warc), (".wet", .warc), (".urls", .urls),
        ]
        for (suffix, kind) in extensions where base.hasSuffix(suffix) { return kind }
        return sniff(content)
    }

    /// The kind of content with no telling extension, from its first bytes.
    static func sniff(_ content: [UInt8]) -> Kind {
        var start = content.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < content.count, [0x20, 0x09, 0x0A, 0x0D, 0x0C].contains(content[start]) { start += 1 }
        let head = content[start..<min(content.count, start + sniffBytes)]
        if head.starts(with: Array("WARC/1.".utf8)) { return .warc }
        if head.first == UInt8(ascii: "{") { return .jsonl }
        if head.first == UInt8(ascii: "<") {
            let lowered = head.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            for marker in ["<!doctype html", "<html", "<head"] where lowered.firstRange(of: Array(marker.utf8)) != nil {
                return .html
            }
        }
        return .text
    }

    /// The decompressed byte stream of `file`, capped at `limit` bytes when it is compressed.
    func open(_ file: FileByteSource, limit: Int) throws -> any ByteSource {
        switch compression {
        case .none: return file  // nothing expands: each document is capped by max_document_bytes
        case .gzip: return LimitedByteSource(try GzipByteSource(file), limit: limit)
        case .zstd: return LimitedByteSource(try ZstdByteSource(file), limit: limit)
        }
    }
}
