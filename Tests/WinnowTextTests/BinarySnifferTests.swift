import Testing
import WinnowText

@Suite struct BinarySnifferTests {
    /// `bytes` followed by filler, so each magic number is seen at the start of a plausible file.
    static func file(_ bytes: [UInt8], at offset: Int = 0, filler: UInt8 = 0x20) -> [UInt8] {
        var content = [UInt8](repeating: filler, count: offset) + bytes
        content += [UInt8](repeating: filler, count: 96)
        return content
    }

    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    static let zipHeader: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 26)

    @Test(
        arguments: [
            (file([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "a PNG image"),
            (file([0xFF, 0xD8, 0xFF, 0xE0]), "a JPEG image"),
            (file(ascii("GIF89a")), "a GIF image"),
            (file(ascii("GIF87a")), "a GIF image"),
            (file([0x49, 0x49, 0x2A, 0x00]), "a TIFF image"),
            (file(ascii("%PDF-1.7\n")), "a PDF document"),
            (file(zipHeader + ascii("[Content_Types].xml") + ascii("word/document.xml")), "a Word document (docx)"),
            (file(zipHeader + ascii("xl/workbook.xml")), "an Excel workbook (xlsx)"),
            (file(zipHeader + ascii("ppt/slides/slide1.xml")), "a PowerPoint presentation (pptx)"),
            (file(zipHeader + ascii("mimetypeapplication/epub+zip")), "an EPUB book"),
            (file(zipHeader + ascii("notes.txt")), "a ZIP archive"),
            (file([0x1F, 0x8B, 0x08, 0x00]), "gzip-compressed data"),
            (file([0x28, 0xB5, 0x2F, 0xFD]), "zstd-compressed data"),
            (file([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]), "xz-compressed data"),
            (file(ascii("BZh91AY&SY")), "bzip2-compressed data"),
            (file([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]), "a 7-Zip archive"),
            (file([0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x00]), "a RAR archive"),
            (file(ascii("ustar\u{0}00"), at: 257, filler: 0), "a tar archive"),
            (file([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01]), "an ELF executable or library"),
            (file([0xCF, 0xFA, 0xED, 0xFE]), "a Mach-O executable"),
            (file([0xCA, 0xFE, 0xBA, 0xBE, 0x00, 0x00, 0x00, 0x34]), "a Java class file"),
            (file([0xCA, 0xFE, 0xBA, 0xBE, 0x00, 0x00, 0x00, 0x02], filler: 0), "a Mach-O universal binary"),
            (file(ascii("MZ") + [0x90, 0x00, 0x03, 0x00]), "a Windows executable (PE/MZ)"),
            (file(ascii("RIFF") + [0x24, 0, 0, 0] + ascii("WEBPVP8 ")), "a WebP image"),
            (file(ascii("RIFF") + [0x24, 0, 0, 0] + ascii("WAVEfmt ")), "a WAV audio file"),
            (file([0, 0, 0, 0x20] + ascii("ftypisom")), "an MP4 video"),
            (file([0, 0, 0, 0x1C] + ascii("ftypheic")), "a HEIF image"),
            (file(ascii("SQLite format 3\u{0}")), "an SQLite database"),
            (file([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]), "a legacy Microsoft Office document"),
            (file(ascii("OggS")), "an Ogg media file"),
            (file(ascii("ID3") + [0x03, 0x00]), "an MP3 audio file"),
            (file([0x1A, 0x45, 0xDF, 0xA3]), "a Matroska or WebM video"),
            (file([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00]), "a WebAssembly module"),
            (file(ascii("wOF2")), "a WOFF2 font"),
        ] as [([UInt8], String)])
    func recognizesMagic(bytes: [UInt8], kind: String) {
        let found = bytes.withUnsafeBufferPointer { BinarySniffer.magic($0) }
        #expect(found == kind)
        #expect(throws: BinaryContentError(kind: kind)) { try TextDecoder.decode(bytes) }
    }

    /// Text that begins like a magic number but is not one.
    @Test(
        arguments: [
            "MZ is how the old DOS header starts, but this is prose.",
            "BZh is not bzip2 without its block size and magic.",
            "ID3 tags are in MP3 files; this line only talks about them.",
            "RIFF",
            "PK, a short abbreviation.",
        ])
    func textIsNotMistaken(text: String) throws {
        #expect(Array(text.utf8).withUnsafeBufferPointer { BinarySniffer.magic($0) } == nil)
        #expect(try TextDecoder.decode(Array(text.utf8)).text == text)
    }

    @Test func readableReason() {
        #expect(BinaryContentError(kind: "a PNG image").description == "the content is a PNG image, not text")
        #expect(BinaryContentError.nulBytes.description.contains("binary"))
    }
}
