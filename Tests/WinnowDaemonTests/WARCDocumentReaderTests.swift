import CZlib
import Testing
import WinnowCore
import WinnowIO

@testable import WinnowDaemon

/// WARC records written by hand, the way crawlers write them.
enum WARCFixture {
    static func record(
        type: String, uri: String? = nil, date: String = "2024-05-16T12:00:00Z", contentType: String?,
        block: [UInt8], version: String = "1.1"
    ) -> [UInt8] {
        var head = "WARC/\(version)\r\nWARC-Type: \(type)\r\n"
        head += "WARC-Record-ID: <urn:uuid:\(type)-\(block.count)>\r\nWARC-Date: \(date)\r\n"
        if let uri { head += "WARC-Target-URI: \(uri)\r\n" }
        if let contentType { head += "Content-Type: \(contentType)\r\n" }
        head += "Content-Length: \(block.count)\r\n\r\n"
        return Array(head.utf8) + block + Array("\r\n\r\n".utf8)
    }

    /// An HTTP response as stored in a `response` record.
    static func http(status: String = "200 OK", headers: [String], body: [UInt8]) -> [UInt8] {
        Array(("HTTP/1.1 \(status)\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n").utf8) + body
    }

    /// `body` in chunked transfer coding, cut into pieces of `size` bytes.
    static func chunked(_ body: [UInt8], size: Int) -> [UInt8] {
        var out: [UInt8] = []
        var start = 0
        while start < body.count {
            let piece = body[start..<min(start + size, body.count)]
            out += Array((String(piece.count, radix: 16) + ";ext=1\r\n").utf8) + piece + [0x0D, 0x0A]
            start += size
        }
        return out + Array("0\r\n\r\n".utf8)
    }

    /// One gzip member holding `bytes`.
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        precondition(winnow_deflate_init2(&stream, 6, 15 + 16) == Z_OK)
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count + 1024)
        let produced = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer -> Int in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(outBuffer.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }

    static let page = Array(
        "<html><head><title>Caf\u{E9}</title></head><body><p>Un caf\u{E9} cr\u{E8}me, s\u{2019}il vous pla\u{EE}t.</p></body></html>"
            .unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value == 0x2019 ? 0x92 : $0.value) })

    /// The records of the mixed file, in order, and what each must become.
    static var records: [[UInt8]] {
        [
            record(type: "warcinfo", contentType: "application/warc-fields", block: Array("software: test\r\n".utf8)),
            record(
                type: "request", uri: "https://example.org/cafe", contentType: "application/http; msgtype=request",
                block: Array("GET /cafe HTTP/1.1\r\nHost: example.org\r\n\r\n".utf8)),
            record(
                type: "response", uri: "https://example.org/cafe", date: "2024-05-16T12:00:01Z",
                contentType: "application/http; msgtype=response",
                block: http(
                    headers: [
                        "Content-Type: text/html; charset=windows-1252", "Transfer-Encoding: chunked",
                        "Content-Encoding: gzip",
                    ],
                    body: chunked(gzip(page), size: 17))),
            record(
                type: "response", uri: "https://example.org/logo.png",
                contentType: "application/http; msgtype=response",
                block: http(headers: ["Content-Type: image/png"], body: [0x89, 0x50, 0x4E, 0x47])),
            record(
                type: "response", uri: "https://example.org/missing", contentType: "application/http; msgtype=response",
                block: http(status: "404 Not Found", headers: ["Content-Type: text/html"], body: Array("<p>no".utf8))),
            record(
                type: "metadata", uri: "https://example.org/cafe", contentType: "application/warc-fields",
                block: Array("fetchTimeMs: 12\r\n".utf8)),
            record(
                type: "conversion", uri: "https://example.org/cafe", date: "2024-05-16T12:00:02Z",
                contentType: "text/plain", block: Array("Un café crème.\nDeuxième ligne.".utf8), version: "1.0"),
            record(
                type: "resource", uri: "file:///notes.html", contentType: "text/html",
                block: Array(#"<meta charset="koi8-r"><p>"#.utf8) + [0xC4, 0xC1]),
            // A header whose Content-Length is not a number: its block cannot be found.
            Array("WARC/1.0\r\nWARC-Type: response\r\nContent-Length: many\r\n\r\nlost body\r\nmore\r\n\r\n".utf8),
            record(
                type: "conversion", uri: "https://example.org/after", contentType: "text/plain",
                block: Array("Found again after the broken record.".utf8)),
        ]
    }

    static func units(_ source: any ByteSource, maximumBytes: Int = 1 << 20) throws -> [InputUnit] {
        let identity = InputIdentity(name: "crawl.warc", contentHash: Hash128(high: 1, low: 2))
        let reader = WARCDocumentReader(source: source, identity: identity, maximumBytes: maximumBytes)
        var units: [InputUnit] = []
        while let unit = try reader.next() { units.append(unit) }
        return units
    }
}

@Suite struct WARCDocumentReaderTests {
    func check(_ units: [InputUnit], brokenOffset: Int) {
        #expect(units.map(\.index) == [2, 6, 7, 8, 9], "one unit per kept or broken record, numbered by record")
        guard units.count == 5 else { return }
        guard case .document(let page, _) = units[0] else {
            Issue.record("record 2 should be a document: \(units[0])")
            return
        }
        #expect(page.format == .html)
        #expect(page.text.contains("Un café crème, s’il vous plaît."), "\(page.text)")
        #expect(page.metadata["url"] == .string("https://example.org/cafe"))
        #expect(page.metadata["http_status"] == .int(200))
        #expect(page.metadata["charset"] == .string("windows-1252"))
        #expect(page.created == "2024-05-16T12:00:01Z")

        guard case .document(let text, _) = units[1] else {
            Issue.record("record 6 should be a document: \(units[1])")
            return
        }
        #expect(text.format == .text)
        #expect(text.text == "Un café crème.\nDeuxième ligne.")
        #expect(text.metadata["charset"] == nil, "UTF-8 is not reported")
        #expect(text.created == "2024-05-16T12:00:02Z")

        guard case .document(let resource, _) = units[2] else {
            Issue.record("record 7 should be a document: \(units[2])")
            return
        }
        #expect(resource.format == .html)
        #expect(resource.text.hasSuffix("<p>да"))
        #expect(resource.metadata["charset"] == .string("koi8-r"))

        guard case .refused(_, let reason, _) = units[3] else {
            Issue.record("record 8 should be refused: \(units[3])")
            return
        }
        #expect(reason.code == "malformed_input")
        #expect(reason.details["offset"] == .int(brokenOffset))

        guard case .document(let after, _) = units[4] else {
            Issue.record("record 9 should be a document: \(units[4])")
            return
        }
        #expect(after.text == "Found again after the broken record.")
        #expect(after.metadata["url"] == .string("https://example.org/after"))
    }

    @Test func readsAPlainWARC() throws {
        let records = WARCFixture.records
        let offset = records.prefix(8).map(\.count).reduce(0, +)
        check(try WARCFixture.units(MemoryByteSource(records.flatMap { $0 })), brokenOffset: offset)
    }

    @Test func readsAWARCWithOneGzipMemberPerRecord() throws {
        let records = WARCFixture.records
        let offset = records.prefix(8).map(\.count).reduce(0, +)
        let compressed = records.flatMap { WARCFixture.gzip($0) }
        check(try WARCFixture.units(GzipByteSource(MemoryByteSource(compressed))), brokenOffset: offset)
    }

    @Test func ids() throws {
        let units = try WARCFixture.units(MemoryByteSource(WARCFixture.records.flatMap { $0 }))
        for unit in units {
            guard case .document(let document, let index) = unit else { continue }
            #expect(document.id == Document.makeID(sourceHash: Hash128(high: 1, low: 2), index: index))
        }
    }

    @Test(
        arguments: [
            ("WARC/1.0\r\nWARC-Type conversion\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n", "no field name"),
            ("WARC/1.0\r\nWARC-Type: conversion\r\n\r\nabc\r\n\r\n", "no Content-Length"),
            ("WARC/1.0\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n", "no WARC-Type"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n", "WARC/1.0 or WARC/1.1"),
            ("WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 99\r\n\r\nabc", "ends inside the record's block"),
            ("WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 3\r\n", "ends inside a record header"),
        ] as [(String, String)])
    func brokenRecords(warc: String, error: String) throws {
        let good = WARCFixture.record(type: "conversion", contentType: "text/plain", block: Array("fine".utf8))
        let units = try WARCFixture.units(MemoryByteSource(good + Array(warc.utf8)))
        #expect(units.count == 2)
        guard units.count == 2, case .refused(let document, let reason, let index) = units[1] else {
            Issue.record("expected a refusal: \(units)")
            return
        }
        #expect(index == 1)
        #expect(reason.code == "malformed_input")
        #expect(reason.details["offset"] == .int(good.count))
        #expect(reason.details["error"]?.stringValue?.contains(error) == true, "\(reason.details)")
        #expect(!document.text.isEmpty, "the header is kept as an excerpt")
    }

    @Test func largeRecordsAreRefusedWithoutBeingHeld() throws {
        let body = Array(repeating: UInt8(ascii: "a"), count: 5000)
        let warc =
            WARCFixture.record(type: "conversion", contentType: "text/plain", block: body)
            + WARCFixture.record(
                type: "response", contentType: "application/http; msgtype=response",
                block: WARCFixture.http(headers: ["Content-Type: text/html"], body: body))
            + WARCFixture.record(type: "conversion", contentType: "text/plain", block: Array("small".utf8))
        let units = try WARCFixture.units(MemoryByteSource(warc), maximumBytes: 1000)
        let reasons = units.map { unit -> String in
            if case .refused(_, let reason, _) = unit { return reason.code }
            return "kept"
        }
        #expect(reasons == ["too_large", "too_large", "kept"])
    }

    @Test func binaryBodiesAreRefused() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        let warc = WARCFixture.record(
            type: "response", contentType: "application/http; msgtype=response",
            block: WARCFixture.http(headers: ["Content-Type: text/html"], body: png))
        let units = try WARCFixture.units(MemoryByteSource(warc))
        guard units.count == 1, case .refused(_, let reason, _) = units[0] else {
            Issue.record("expected a refusal: \(units)")
            return
        }
        #expect(reason.code == "binary_content")
        #expect(reason.details["error"]?.stringValue?.contains("PNG image") == true)
    }
}

@Suite struct HTTPPayloadTests {
    @Test func dechunks() {
        let body = Array("Hello, chunked world!".utf8)
        #expect(HTTPPayload.dechunk(WARCFixture.chunked(body, size: 4)) == body)
        #expect(HTTPPayload.dechunk(Array("<html>not chunked".utf8)) == nil)
    }

    @Test func parsesStatusAndHeaders() throws {
        let payload = try #require(
            HTTPPayload.parse(
                WARCFixture.http(
                    status: "203 Non-Authoritative", headers: ["content-type: Text/HTML; Charset=\"EUC-JP\""],
                    body: Array("x".utf8))))
        #expect(payload.status == 203)
        #expect(payload.mediaType == "text/html")
        #expect(payload.charset == "EUC-JP")
        #expect(Array(payload.body) == Array("x".utf8))
    }

    @Test func keepsAlreadyDecodedBodies() throws {
        let payload = try #require(
            HTTPPayload.parse(WARCFixture.http(headers: ["Content-Encoding: gzip"], body: Array("<p>plain".utf8))))
        #expect(try payload.decodedBody(limit: 100) == Array("<p>plain".utf8))
    }

    @Test func refusesUnknownEncodings() throws {
        let payload = try #require(
            HTTPPayload.parse(WARCFixture.http(headers: ["Content-Encoding: br"], body: [1, 2, 3])))
        #expect(throws: HTTPPayload.BodyError.self) { try payload.decodedBody(limit: 100) }
    }
}
