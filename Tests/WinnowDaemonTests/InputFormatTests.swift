import Testing
import WinnowCore

@testable import WinnowDaemon

@Suite struct InputFormatTests {
    @Test(
        arguments: [
            ("a.txt", [0x68, 0x69], InputFormat.Compression.none, InputFormat.Kind.text),
            ("a.jsonl", [0x7B], .none, .jsonl),
            ("a.JSONL.gz", [0x1F, 0x8B, 0x08], .gzip, .jsonl),
            ("a.txt.zst", [0x28, 0xB5, 0x2F, 0xFD], .zstd, .text),
            // Compression is read from the content, whatever the name says.
            ("mislabelled.txt", [0x1F, 0x8B], .gzip, .text),
            ("a.ndjson.zstd", [0x28, 0xB5, 0x2F, 0xFD], .zstd, .jsonl),
            ("noextension", [0x41], .none, .text),
            ("page.HTML", [0x3C], .none, .html),
            ("page.htm.gz", [0x1F, 0x8B], .gzip, .html),
            ("crawl.warc.gz", [0x1F, 0x8B], .gzip, .warc),
            ("crawl.wet", Array("WARC/1.0".utf8), .none, .warc),
            ("crawl.warc.zst", [0x28, 0xB5, 0x2F, 0xFD], .zstd, .warc),
            // The extension wins over the content.
            ("notes.txt", Array("<!DOCTYPE html>".utf8), .none, .text),
            // Without a telling extension, the content decides.
            ("download", Array("WARC/1.1\r\nWARC-Type: warcinfo".utf8), .none, .warc),
            ("download", Array("\u{FEFF}\n  <!DOCTYPE HTML PUBLIC>".utf8), .none, .html),
            ("download.dat", Array("<?xml version=\"1.0\"?>\n<html xmlns=\"x\">".utf8), .none, .html),
            ("download", Array("<HEAD><TITLE>x".utf8), .none, .html),
            ("download", Array(#"{"text":"a"}"#.utf8), .none, .jsonl),
            ("download", Array("<not html at all>".utf8), .none, .text),
            ("download", Array("Just words.".utf8), .none, .text),
        ] as [(String, [UInt8], InputFormat.Compression, InputFormat.Kind)])
    func detects(name: String, head: [UInt8], compression: InputFormat.Compression, kind: InputFormat.Kind) {
        #expect(InputFormat.detect(name: name, head: head) == InputFormat(compression: compression, kind: kind))
    }

    @Test func sniffsDecompressedContent() {
        let format = InputFormat.detect(name: "download.gz", head: [0x1F, 0x8B], content: Array("WARC/1.0\r\n".utf8))
        #expect(format == InputFormat(compression: .gzip, kind: .warc))
    }

    @Test(arguments: [".hidden", "x.tmp", "x.part", ".x.txt.tmp"])
    func inboxIgnoresWorkInProgress(name: String) {
        #expect(!InboxName.accepts(name))
    }

    @Test(arguments: ["a.txt", "a.jsonl.gz", "tmp.txt", "partial.txt"])
    func inboxAcceptsInputs(name: String) {
        #expect(InboxName.accepts(name))
    }
}
