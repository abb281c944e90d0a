/// Tells binary content from text before any decoding: by the magic numbers of common file
/// formats at the start, and by NUL bytes (which text in a byte-oriented encoding never holds).
public enum BinarySniffer {
    /// How far NUL bytes are looked for, as git and file(1) do: binary formats show them early.
    public static let nulWindow = 8192

    /// What a magic number at the start of `bytes` says they are, e.g. "a PNG image".
    public static func magic(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let head = Head(bytes: bytes)
        for signature in signatures {
            if head.matches(signature.magic, at: signature.offset), let kind = signature.kind(head) { return kind }
        }
        return nil
    }

    /// Whether the first `nulWindow` bytes hold a NUL byte.
    public static func hasNUL(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        UnsafeBufferPointer(rebasing: bytes.prefix(nulWindow)).contains(0)
    }

    /// The error for `bytes` if they are binary: a known magic number, or NULs unless the text is
    /// in a wide encoding.
    public static func check(_ bytes: UnsafeBufferPointer<UInt8>, wide: Bool) -> BinaryContentError? {
        if let kind = magic(bytes) { return BinaryContentError(kind: kind) }
        if !wide && hasNUL(bytes) { return .nulBytes }
        return nil
    }

    /// The start of the content, with the tests the signatures need.
    struct Head {
        var bytes: UnsafeBufferPointer<UInt8>

        func matches(_ magic: [UInt8], at offset: Int) -> Bool {
            guard bytes.count >= offset + magic.count else { return false }
            for (index, byte) in magic.enumerated() where bytes[offset + index] != byte { return false }
            return true
        }

        func matches(_ text: String, at offset: Int) -> Bool { matches(Array(text.utf8), at: offset) }

        /// Whether `text` occurs in the first `limit` bytes (names of entries in a ZIP directory).
        func contains(_ text: String, within limit: Int = 65536) -> Bool {
            let needle = Array(text.utf8)
            let end = min(bytes.count, limit) - needle.count
            guard end >= 0 else { return false }
            var index = 0
            while index <= end {
                if bytes[index] == needle[0] && matches(needle, at: index) { return true }
                index += 1
            }
            return false
        }

        func uint16BE(at offset: Int) -> Int? {
            bytes.count >= offset + 2 ? Int(bytes[offset]) << 8 | Int(bytes[offset + 1]) : nil
        }
    }

    /// A magic number at an offset and what it means, possibly after a closer look.
    struct Signature: Sendable {
        var offset = 0
        var magic: [UInt8]
        var kind: @Sendable (Head) -> String?

        init(_ magic: [UInt8], at offset: Int = 0, _ kind: String) {
            self.offset = offset
            self.magic = magic
            self.kind = { _ in kind }
        }

        init(_ magic: String, at offset: Int = 0, _ kind: String) {
            self.init(Array(magic.utf8), at: offset, kind)
        }

        init(_ magic: [UInt8], at offset: Int = 0, _ kind: @escaping @Sendable (Head) -> String?) {
            self.offset = offset
            self.magic = magic
            self.kind = kind
        }
    }

    // The magic numbers are those of file(1)'s magic database and the formats' specifications.
    static let signatures: [Signature] = [
        Signature([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG image"),
        Signature([0xFF, 0xD8, 0xFF], "a JPEG image"),
        Signature("GIF87a", "a GIF image"),
        Signature("GIF89a", "a GIF image"),
        Signature([0x49, 0x49, 0x2A, 0x00], "a TIFF image"),
        Signature([0x4D, 0x4D, 0x00, 0x2A], "a TIFF image"),
        Signature("%PDF-", "a PDF document"),
        Signature([0x50, 0x4B, 0x03, 0x04], zipKind),
        Signature([0x50, 0x4B, 0x05, 0x06], "a ZIP archive (empty)"),
        Signature([0x50, 0x4B, 0x07, 0x08], "a ZIP archive"),
        Signature([0x1F, 0x8B], "gzip-compressed data"),
        Signature([0x28, 0xB5, 0x2F, 0xFD], "zstd-compressed data"),
        Signature([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz-compressed data"),
        Signature(Array("BZh".utf8)) { head in
            // "BZh", the block size '1'...'9', then the block magic (pi) or the end-of-stream magic (sqrt pi).
            guard head.bytes.count >= 5, (0x31...0x39).contains(head.bytes[3]) else { return nil }
            return head.bytes[4] == 0x31 || head.bytes[4] == 0x17 ? "bzip2-compressed data" : nil
        },
        Signature([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], "a 7-Zip archive"),
        Signature([0x52, 0x61, 0x72, 0x21, 0x1A, 0x07], "a RAR archive"),
        Signature("ustar", at: 257, "a tar archive"),
        Signature([0x7F, 0x45, 0x4C, 0x46], "an ELF executable or library"),
        Signature([0xFE, 0xED, 0xFA, 0xCE], "a Mach-O executable"),
        Signature([0xFE, 0xED, 0xFA, 0xCF], "a Mach-O executable"),
        Signature([0xCE, 0xFA, 0xED, 0xFE], "a Mach-O executable"),
        Signature([0xCF, 0xFA, 0xED, 0xFE], "a Mach-O executable"),
        Signature([0xCA, 0xFE, 0xBA, 0xBE]) { head in
            // Java class files and Mach-O universal binaries share this magic: a class file's major
            // version (45 and up) follows, where a universal binary has a small architecture count.
            guard let version = head.uint16BE(at: 6) else { return "a Java class file or a Mach-O universal binary" }
            return version >= 45 ? "a Java class file" : "a Mach-O universal binary"
        },
        Signature(Array("MZ".utf8)) { head in
            // Two letters are common at the start of text; an executable's DOS header follows with
            // NUL bytes well within its first 64 bytes.
            head.bytes.count >= 64 && head.bytes.prefix(64).contains(0) ? "a Windows executable (PE/MZ)" : nil
        },
        Signature(Array("RIFF".utf8)) { head in
            if head.matches("WEBP", at: 8) { return "a WebP image" }
            if head.matches("WAVE", at: 8) { return "a WAV audio file" }
            if head.matches("AVI ", at: 8) { return "an AVI video" }
            // Any other RIFF form: a binary chunk size, then a four-letter form type.
            guard head.bytes.count >= 12, head.bytes[4..<8].contains(where: { $0 < 0x20 }) else { return nil }
            return "a RIFF media file"
        },
        Signature(Array("ftyp".utf8), at: 4) { head in
            if head.matches("qt  ", at: 8) { return "a QuickTime movie" }
            if head.matches("avif", at: 8) { return "an AVIF image" }
            if head.matches("heic", at: 8) || head.matches("heix", at: 8) || head.matches("mif1", at: 8) {
                return "a HEIF image"
            }
            if head.matches("M4A ", at: 8) { return "an MPEG-4 audio file" }
            return "an MP4 video"
        },
        Signature("SQLite format 3\u{0}", "an SQLite database"),
        Signature([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "a legacy Microsoft Office document"),
        Signature("OggS", "an Ogg media file"),
        Signature("fLaC", "a FLAC audio file"),
        Signature(Array("ID3".utf8)) { head in
            head.bytes.count >= 5 && (2...4).contains(head.bytes[3]) && head.bytes[4] == 0 ? "an MP3 audio file" : nil
        },
        Signature([0x1A, 0x45, 0xDF, 0xA3], "a Matroska or WebM video"),
        Signature([0x00, 0x61, 0x73, 0x6D], "a WebAssembly module"),
        Signature("wOFF", "a WOFF font"),
        Signature("wOF2", "a WOFF2 font"),
    ]

    /// ZIP archives, named after what they hold when their entry names say so.
    private static func zipKind(_ head: Head) -> String? {
        if head.matches("mimetypeapplication/epub+zip", at: 30) { return "an EPUB book" }
        if head.matches("mimetypeapplication/vnd.oasis.opendocument.", at: 30) { return "an OpenDocument file" }
        if head.contains("word/") { return "a Word document (docx)" }
        if head.contains("xl/") { return "an Excel workbook (xlsx)" }
        if head.contains("ppt/") { return "a PowerPoint presentation (pptx)" }
        if head.contains("META-INF/MANIFEST.MF") { return "a Java archive (jar)" }
        return "a ZIP archive"
    }
}
