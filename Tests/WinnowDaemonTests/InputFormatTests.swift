import Testing

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
        ] as [(String, [UInt8], InputFormat.Compression, InputFormat.Kind)])
    func detects(name: String, head: [UInt8], compression: InputFormat.Compression, kind: InputFormat.Kind) {
        #expect(InputFormat.detect(name: name, head: head) == InputFormat(compression: compression, kind: kind))
    }

    @Test(arguments: [".hidden", "x.tmp", "x.part", ".x.txt.tmp"])
    func inboxIgnoresWorkInProgress(name: String) {
        #expect(!InboxFilter.accepts(name))
    }

    @Test(arguments: ["a.txt", "a.jsonl.gz", "tmp.txt", "partial.txt"])
    func inboxAcceptsInputs(name: String) {
        #expect(InboxFilter.accepts(name))
    }
}
