import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// Compressed JSONL with every kind of bad line, and files that are not inputs at all.
    @Suite("Input formats")
    struct Formats {
        /// A JSONL body with good lines, a malformed one, one without text, a blank one and an exact
        /// duplicate, and what each line must become.
        static func mixedJSONL(tag: String) -> (body: String, expected: [Int: String?]) {
            let lines = [
                #"{"id":"\#(tag)-1","text":"Alpha document about \#(tag) rivers.","url":"https://example.org/\#(tag)/a","title":"Alpha"}"#,
                #"{"id":"\#(tag)-2","text":"Beta   document about \#(tag) mountains.\n\n\n\nSecond paragraph."}"#,
                #"{"id":"\#(tag)-3","text": "this line is cut short"#,
                #"{"id":"\#(tag)-4","title":"A line without text"}"#,
                "",
                #"{"id":"\#(tag)-6","text":"ALPHA document about \#(tag) RIVERS!!"}"#,
                #"{"id":"\#(tag)-7","text":"Gamma document about 42 \#(tag) lakes.","created":"2024-05-01T00:00:00Z"}"#,
                #"{"id":"\#(tag)-8","text":7}"#,
            ]
            // 1-based line number -> nil when kept, else the drop reason.
            let expected: [Int: String?] = [
                1: nil, 2: nil, 3: "malformed_input", 4: "missing_text", 6: "exact_duplicate", 7: nil,
                8: "missing_text",
            ]
            return (lines.joined(separator: "\n") + "\n", expected)
        }

        /// Checks the records and rejected lines of one mixed JSONL input named `name`.
        static func checkMixed(_ output: OutputSnapshot, name: String, tag: String, expected: [Int: String?]) {
            let records = output.records.filter { $0.file == name }
            let rejected = output.rejected.filter { $0.file == name }
            #expect(output.tornLines.isEmpty, "\(output.tornLines)")
            #expect(Set(records.compactMap(\.line)) == Set(expected.filter { $0.value == nil }.keys))
            for record in records + rejected {
                guard let line = record.line else {
                    Issue.record("\(record.id) has no metadata.line")
                    continue
                }
                #expect(isRecordID(record.id, index: line - 1), "id \(record.id) for line \(line)")
                #expect(expected[line] != nil, "line \(line) should have been skipped")
                if let reason = expected[line] ?? nil {
                    #expect(record.reason == reason, "line \(line): \(record.reason ?? "kept")")
                }
            }
            #expect(
                Set(records.map(\.sourceHash)).union(rejected.map(\.sourceHash)).count == 1,
                "all documents of one file share its content hash")
            let byLine = Dictionary(
                (records + rejected).map { ($0.line ?? -1, $0) }, uniquingKeysWith: { first, _ in first })
            #expect((records + rejected).count == expected.count, "each non-blank line exactly once")
            #expect(byLine[1]?.text == "Alpha document about \(tag) rivers.")
            #expect(byLine[1]?.metadata["source_id"]?.string == "\(tag)-1")
            #expect(byLine[1]?.metadata["url"]?.string == "https://example.org/\(tag)/a")
            #expect(byLine[1]?.metadata["title"]?.string == "Alpha")
            #expect(byLine[2]?.text == "Beta document about \(tag) mountains.\n\nSecond paragraph.")
            #expect(byLine[7]?.created == "2024-05-01T00:00:00Z")
            #expect(byLine[3]?.text.contains("this line is cut short") == true, "a malformed line keeps an excerpt")
            #expect(byLine[6]?.duplicateOf == byLine[1]?.id)
            #expect(byLine[6]?.metadata["similarity"]?.double == 1.0)
        }

        @Test("a .jsonl.gz with malformed, text-less and duplicate lines yields the right records and rejections")
        func gzipJSONL() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let gzip = try #require(Command.which("gzip"), "gzip is needed to make the input")
            let daemon = try sandbox.start()
            let (body, expected) = Self.mixedJSONL(tag: "gz")
            let plain = try sandbox.stage("mixed.jsonl", body)
            let made = try Command.run(gzip, ["-n", "-f", plain], scratch: sandbox.scratch)
            try #require(made.status == 0, "\(made)")
            try sandbox.moveIn(plain + ".gz", as: "mixed.jsonl.gz")
            try sandbox.waitUntilArchived(["mixed.jsonl.gz"], daemon: daemon)

            let output = try sandbox.readOutput()
            Self.checkMixed(output, name: "mixed.jsonl.gz", tag: "gz", expected: expected)
            let status = try sandbox.status()
            #expect(status.files.done == 1)
            #expect(status.documents.kept == 3)
            #expect(status.documents.dropped == 4)
            #expect(
                status.documents.droppedByReason == ["malformed_input": 1, "missing_text": 2, "exact_duplicate": 1])
        }

        @Test(
            "a .jsonl.zst is read like a .jsonl.gz", .enabled(if: Command.which("zstd") != nil, "zstd is not installed")
        )
        func zstdJSONL() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let zstd = try #require(Command.which("zstd"))
            let daemon = try sandbox.start()
            let (body, expected) = Self.mixedJSONL(tag: "zst")
            let plain = try sandbox.stage("mixed.jsonl", body)
            let made = try Command.run(zstd, ["-q", "-f", plain, "-o", plain + ".zst"], scratch: sandbox.scratch)
            try #require(made.status == 0, "\(made)")
            try sandbox.moveIn(plain + ".zst", as: "mixed.jsonl.zst")
            try sandbox.waitUntilArchived(["mixed.jsonl.zst"], daemon: daemon)

            Self.checkMixed(try sandbox.readOutput(), name: "mixed.jsonl.zst", tag: "zst", expected: expected)
            let status = try sandbox.status()
            #expect(status.documents.kept == 3)
            #expect(
                status.documents.droppedByReason == ["malformed_input": 1, "missing_text": 2, "exact_duplicate": 1])
        }

        @Test("compression is recognized by magic bytes, whatever the name says")
        func compressionByMagicBytes() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let gzip = try #require(Command.which("gzip"))
            let daemon = try sandbox.start()
            let plain = try sandbox.stage("hidden-gzip.jsonl", #"{"text":"Gzip data under a plain name."}"# + "\n")
            let made = try Command.run(gzip, ["-n", "-f", plain], scratch: sandbox.scratch)
            try #require(made.status == 0, "\(made)")
            try sandbox.moveIn(plain + ".gz", as: "hidden-gzip.jsonl")
            try sandbox.drop("not-really.jsonl.gz", #"{"text":"Plain data under a gzip name."}"# + "\n")
            try sandbox.waitUntilArchived(["hidden-gzip.jsonl", "not-really.jsonl.gz"], daemon: daemon)
            let output = try sandbox.readOutput()
            #expect(
                Set(output.records.map(\.text)) == ["Gzip data under a plain name.", "Plain data under a gzip name."])
            #expect(output.rejected.isEmpty, "\(output.rejected.map { ($0.file, $0.reason, $0.text) })")
        }

        @Test("text is normalized: NFC, CRLF line ends, invalid UTF-8 replaced and counted")
        func textNormalization() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()
            // "Cafe" + combining acute, CRLF line ends, two invalid bytes.
            var bytes = Array("Cafe\u{301}  au   lait\r\n\r\n\r\nSecond line ".utf8)
            bytes += [0xFF, 0xFE]
            bytes += Array(" end\r\n".utf8)
            try sandbox.drop("mixed.txt", Data(bytes))
            try sandbox.drop("crlf.jsonl", #"{"text":"one\r\ntwo"}"# + "\r\n" + #"{"text":"three"}"# + "\r\n")
            try sandbox.waitUntilArchived(["mixed.txt", "crlf.jsonl"], daemon: daemon)
            let output = try sandbox.readOutput()
            #expect(output.rejected.isEmpty, "\(output.rejected.map { ($0.file, $0.reason, $0.text) })")
            let text = output.records.first { $0.file == "mixed.txt" }
            #expect(text?.text == "Caf\u{E9} au lait\n\nSecond line \u{FFFD}\u{FFFD} end")
            #expect(text?.text.unicodeScalars.contains("\u{301}") == false, "not NFC")
            #expect(text?.metadata["replaced_chars"]?.int == 2)
            let lines = output.records.filter { $0.file == "crlf.jsonl" }.sorted { ($0.line ?? 0) < ($1.line ?? 0) }
            #expect(lines.map(\.text) == ["one\ntwo", "three"])
            #expect(lines.map(\.line) == [1, 2])
        }

        @Test("a file whose name is not valid UTF-8 is renamed with %XX escapes and processed")
        func undecodableNameIsEscaped() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()
            // Written under a dot-name and renamed in with raw bytes: the name holds 0xFF 0xFE.
            let staged = try sandbox.stage(".bytes.txt", "A file with a Latin-1 name.\n")
            let rawName = Array((sandbox.inbox + "/report-").utf8) + [0xFF, 0xFE] + Array(".txt".utf8) + [0]
            let renamed = rawName.withUnsafeBufferPointer { target in
                target.withMemoryRebound(to: CChar.self) { rename(staged, $0.baseAddress!) }
            }
            try #require(renamed == 0)
            try sandbox.waitUntilArchived(["report-%FF%FE.txt"], daemon: daemon)
            let records = try sandbox.readOutput().records
            #expect(records.map(\.text) == ["A file with a Latin-1 name."])
            #expect(records.first?.file == "report-%FF%FE.txt")
        }

        @Test("an uncompressed file is not held to max_decompressed_bytes; a huge JSONL line is rejected alone")
        func plainFileIgnoresDecompressionCap() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let config =
                Sandbox.fastConfig + "\n[limits]\nmax_decompressed_bytes = 1000000\nmax_document_bytes = 100000\n"
            let daemon = try sandbox.start(config: config)
            let huge = String(repeating: "word ", count: 600_000)
            let body =
                #"{"text": "The line before the huge one."}"# + "\n" + #"{"text": "\#(huge)"}"# + "\n"
                + #"{"text": "The line after the huge one."}"# + "\n"
            try sandbox.drop("big.jsonl", body)
            try sandbox.waitUntilArchived(["big.jsonl"], daemon: daemon)
            let output = try sandbox.readOutput()
            #expect(output.records.map(\.text) == ["The line before the huge one.", "The line after the huge one."])
            #expect(output.rejected.map(\.reason) == ["too_large"])
        }

        @Test("an HTML page nested deeper than the parser follows is rejected whole as html_too_deep")
        func deeplyNestedHTMLIsRejected() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start(
                config: Sandbox.fastConfig + "\n[pipeline]\nstages = [\"html_extract\", \"empty\"]\n")
            func page(depth: Int, _ text: String) -> String {
                "<html><body>" + String(repeating: "<div>", count: depth) + "<p>\(text)</p>"
                    + String(repeating: "</div>", count: depth) + "</body></html>"
            }
            let deep = page(depth: 100_000, "Text a hundred thousand levels down.")
            try sandbox.drop("deep.html", deep)
            try sandbox.drop("nested.html", page(depth: 200, "Text two hundred levels down, which the parser reaches."))
            try sandbox.waitUntilArchived(["deep.html", "nested.html"], daemon: daemon)
            let output = try sandbox.readOutput()
            #expect(output.records.map(\.text) == ["Text two hundred levels down, which the parser reaches."])
            #expect(output.rejected.map(\.reason) == ["html_too_deep"])
            #expect(output.rejected.first?.text == deep)
            #expect(output.rejected.first?.metadata["max_depth"]?.int == 256)
        }

        @Test("a symlink, a FIFO, a socket and a binary .txt are set aside in failed/ and intake goes on")
        func specialFilesAreSetAside() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()
            let target = try sandbox.stage("target.txt", "The file a link points at.\n")
            // Made in place, the link and the FIFO are found by the periodic rescan.
            try #require(symlink(target, sandbox.inbox + "/link.txt") == 0)
            try #require(mkfifo(sandbox.inbox + "/pipe.txt", 0o644) == 0)
            try sandbox.drop("binary.txt", Data([0x41, 0x42, 0x00, 0x43, 0x0A]))
            let listener = try bindUnixSocket(sandbox.inbox + "/socket.txt")
            defer { close(listener) }

            let errorFiles = [
                "link.txt.error.json", "pipe.txt.error.json", "binary.txt.error.json", "socket.txt.error.json",
            ]
            try sandbox.waitUntil("link, FIFO and binary file set aside", daemon: daemon) {
                Set(errorFiles).isSubset(of: Set(sandbox.names(in: sandbox.failed)))
            }
            func reason(_ name: String) throws -> JSON {
                try JSON.parse(Data(contentsOf: URL(fileURLWithPath: sandbox.failed + "/" + name + ".error.json")))
            }
            let link = try reason("link.txt")
            #expect(link["file"]?.string == "link.txt")
            #expect(link["reason"]?.string?.contains("symbolic link") == true, "\(link)")
            #expect(link["failed_at"]?.string?.isEmpty == false)
            let pipe = try reason("pipe.txt")
            #expect(pipe["reason"]?.string?.contains("named pipe") == true, "\(pipe)")
            let binary = try reason("binary.txt")
            #expect(binary["reason"]?.string?.contains("binary") == true, "\(binary)")
            let socket = try reason("socket.txt")
            #expect(socket["reason"]?.string?.contains("socket") == true, "\(socket)")

            var info = stat()
            #expect(
                lstat(sandbox.failed + "/link.txt", &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK,
                "the link itself is moved")
            #expect(lstat(sandbox.failed + "/pipe.txt", &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
            #expect(try sandbox.read(target) == "The file a link points at.\n", "the link target is untouched")

            try sandbox.drop("after.txt", "A normal file after the odd ones.\n")
            try sandbox.waitUntilArchived(["after.txt"], daemon: daemon)
            let output = try sandbox.readOutput()
            #expect(output.records.map(\.text) == ["A normal file after the odd ones."])
            #expect(output.rejected.isEmpty)
            let status = try sandbox.status()
            #expect(status.files.failed == 4)
            #expect(status.files.done == 1)
            #expect(status.lastError != nil)
        }
    }
}

/// Creates a Unix socket file at `path` (bound, not listening) and returns its descriptor.
func bindUnixSocket(_ path: String) throws -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HarnessError("socket: errno \(errno)") }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
        throw HarnessError("socket path too long: \(path)")
    }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        raw.copyBytes(from: bytes)
        raw[bytes.count] = 0
    }
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard result == 0 else {
        close(fd)
        throw HarnessError("bind \(path): errno \(errno)")
    }
    return fd
}
