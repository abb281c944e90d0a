import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// Inputs in legacy encodings, HTML pages, WARC files and binary files in disguise.
    @Suite("Decoding and web inputs")
    struct Decoding {
        /// A WARC record with `block`, as a crawler writes it.
        static func warcRecord(type: String, uri: String, contentType: String, block: [UInt8]) -> [UInt8] {
            let head =
                "WARC/1.1\r\nWARC-Type: \(type)\r\nWARC-Date: 2024-03-01T08:00:00Z\r\nWARC-Target-URI: \(uri)\r\n"
                + "Content-Type: \(contentType)\r\nContent-Length: \(block.count)\r\n\r\n"
            return Array(head.utf8) + block + Array("\r\n\r\n".utf8)
        }

        @Test("a windows-1252 .txt, a UTF-16 .txt and an ISO-8859-1 .html become UTF-8 records with their charset")
        func legacyEncodings() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()
            // “Curly quotes” and a café, in windows-1252.
            var cp1252 = Array("The menu said ".utf8) + [0x93] + Array("caf".utf8) + [0xE9, 0x94]
            cp1252 += Array(" and nobody ".utf8) + [0x92] + Array("d argue.\n".utf8)
            try sandbox.drop("cp1252.txt", Data(cp1252))
            var utf16: [UInt8] = [0xFF, 0xFE]
            for unit in "Grüße from a UTF-16 file.\n".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
            try sandbox.drop("utf16.txt", Data(utf16))
            let html =
                Array(#"<!DOCTYPE html><html><head><meta charset="ISO-8859-1"><title>x</title></head><body><p>"#.utf8)
                + Array("Cr".utf8) + [0xE8] + Array("me br".utf8) + [0xFB] + Array("l".utf8) + [0xE9]
                + Array("e in Latin-1.</p></body></html>\n".utf8)
            try sandbox.drop("latin1.html", Data(html))
            try sandbox.waitUntilArchived(["cp1252.txt", "utf16.txt", "latin1.html"], daemon: daemon)

            let output = try sandbox.readOutput()
            #expect(output.rejected.isEmpty, "\(output.rejected.map { ($0.file, $0.reason, $0.text) })")
            let byFile = Dictionary(output.records.map { ($0.file ?? "", $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byFile["cp1252.txt"]?.text == "The menu said “café” and nobody ’d argue.")
            #expect(byFile["cp1252.txt"]?.metadata["charset"]?.string == "windows-1252")
            #expect(byFile["utf16.txt"]?.text == "Grüße from a UTF-16 file.")
            #expect(byFile["utf16.txt"]?.metadata["charset"]?.string == "utf-16le")
            #expect(byFile["latin1.html"]?.text.contains("Crème brûlée in Latin-1.") == true)
            #expect(byFile["latin1.html"]?.metadata["charset"]?.string == "windows-1252")
            #expect(byFile.values.allSatisfy { $0.metadata["replaced_chars"] == nil })
        }

        @Test("a .warc.gz yields one document per page record, skips the others and rejects a broken header")
        func warc() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let gzip = try #require(Command.which("gzip"), "gzip is needed to make the input")
            let daemon = try sandbox.start()
            let page = Array(
                "<html><head><title>Rivers</title></head><body><p>Rivers carry water to the sea.</p></body></html>"
                    .utf8)
            let records: [[UInt8]] = [
                Self.warcRecord(
                    type: "warcinfo", uri: "", contentType: "application/warc-fields",
                    block: Array("software: hand\r\n".utf8)),
                Self.warcRecord(
                    type: "request", uri: "https://example.org/rivers",
                    contentType: "application/http; msgtype=request",
                    block: Array("GET /rivers HTTP/1.1\r\nHost: example.org\r\n\r\n".utf8)),
                Self.warcRecord(
                    type: "response", uri: "https://example.org/rivers",
                    contentType: "application/http; msgtype=response",
                    block: Array("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".utf8) + page),
                Array("WARC/1.1\r\nWARC-Type: conversion\r\nContent-Length: lots\r\n\r\nbody\r\n\r\n".utf8),
                Self.warcRecord(
                    type: "conversion", uri: "https://example.org/lakes", contentType: "text/plain",
                    block: Array("Lakes hold still water for a long time.".utf8)),
            ]
            var compressed: [UInt8] = []
            for (number, record) in records.enumerated() {
                let path = sandbox.scratch + "/record-\(number)"
                try Data(record).write(to: URL(fileURLWithPath: path))
                let made = try Command.run(gzip, ["-n", "-f", path], scratch: sandbox.scratch)
                try #require(made.status == 0, "\(made)")
                compressed += try Array(Data(contentsOf: URL(fileURLWithPath: path + ".gz")))
            }
            try sandbox.drop("crawl.warc.gz", Data(compressed))
            try sandbox.waitUntilArchived(["crawl.warc.gz"], daemon: daemon)

            let output = try sandbox.readOutput()
            let kept = output.records.filter { $0.file == "crawl.warc.gz" }.sorted { ($0.index ?? 0) < ($1.index ?? 0) }
            #expect(kept.map(\.index) == [2, 4])
            #expect(kept.first?.text.contains("Rivers carry water to the sea.") == true)
            #expect(kept.first?.metadata["url"]?.string == "https://example.org/rivers")
            #expect(kept.first?.metadata["http_status"]?.int == 200)
            #expect(kept.first?.created == "2024-03-01T08:00:00Z")
            #expect(kept.last?.text == "Lakes hold still water for a long time.")
            let rejected = output.rejected.filter { $0.file == "crawl.warc.gz" }
            #expect(rejected.map(\.reason) == ["malformed_input"])
            #expect(rejected.first?.index == 3)
            #expect(rejected.first?.metadata["offset"]?.int == records.prefix(3).map(\.count).reduce(0, +))
        }

        @Test("a PNG named .txt and a gzip inside a .gz are set aside in failed/ saying what they are")
        func binaryInDisguise() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let gzip = try #require(Command.which("gzip"))
            let daemon = try sandbox.start()
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
            try sandbox.drop("photo.txt", Data(png))
            let inner = try sandbox.stage("twice.txt", "Compressed twice over.\n")
            for _ in 0..<2 {
                let made = try Command.run(gzip, ["-n", "-f", "-S", ".z", inner], scratch: sandbox.scratch)
                try #require(made.status == 0, "\(made)")
                try FileManager.default.moveItem(atPath: inner + ".z", toPath: inner)
            }
            try sandbox.moveIn(inner, as: "twice.txt.gz")
            let errorFiles = ["photo.txt.error.json", "twice.txt.gz.error.json"]
            try sandbox.waitUntil("binary inputs set aside", daemon: daemon) {
                Set(errorFiles).isSubset(of: Set(sandbox.names(in: sandbox.failed)))
            }
            func reason(_ name: String) throws -> String? {
                try JSON.parse(Data(contentsOf: URL(fileURLWithPath: sandbox.failed + "/" + name)))["reason"]?.string
            }
            #expect(try reason("photo.txt.error.json") == "the content is a PNG image, not text")
            #expect(try reason("twice.txt.gz.error.json") == "the content is gzip-compressed data, not text")
            #expect(try sandbox.readOutput().all.isEmpty)
        }

        @Test("a WARC file killed mid-way resumes after its last committed record: each record once")
        func warcResumesAfterKill() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let config = Sandbox.batchConfig(documents: 50)
            var warc: [UInt8] = []
            let pages = 3000
            for number in 0..<pages {
                warc += Self.warcRecord(
                    type: "conversion", uri: "https://example.org/\(number)", contentType: "text/plain",
                    block: Array("Page \(Words.spell(number)) of the crawl, with its own words.".utf8))
                warc += Self.warcRecord(
                    type: "request", uri: "https://example.org/\(number)",
                    contentType: "application/http; msgtype=request",
                    block: Array("GET / HTTP/1.1\r\n\r\n".utf8))
            }
            var daemon = try sandbox.start(config: config)
            try sandbox.drop("big.warc", Data(warc))
            try sandbox.waitUntil("the first batch of big.warc is committed", daemon: daemon) {
                sandbox.recordBytes > 0
            }
            daemon.send(SIGKILL)
            _ = try daemon.waitForExit()
            let killedMidFile = sandbox.names(in: sandbox.claimed).contains { $0.hasSuffix("-big.warc") }
            daemon = try sandbox.start(config: config, until: [])
            try sandbox.waitUntilArchived(["big.warc"], daemon: daemon, timeout: .seconds(90))
            #expect(!killedMidFile || daemon.log.contains("resuming a claimed file"))

            let output = try sandbox.readOutput()
            #expect(output.tornLines.isEmpty)
            #expect(output.rejected.isEmpty, "\(output.rejected.prefix(3).map { ($0.reason, $0.text) })")
            let indexes = output.records.compactMap(\.index)
            #expect(indexes.count == pages, "every page record exactly once")
            #expect(Set(indexes) == Set(stride(from: 0, to: 2 * pages, by: 2)), "numbered by record, requests included")
        }
    }
}
