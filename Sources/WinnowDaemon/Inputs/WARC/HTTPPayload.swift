import WinnowIO
import WinnowText

/// An HTTP response as a WARC `response` record stores it: status line, headers, body. The body
/// is given back as the server meant it, with chunked transfer coding and gzip content coding
/// undone.
struct HTTPPayload {
    /// Why a body cannot be turned back into the bytes the server meant.
    enum BodyError: Error, CustomStringConvertible {
        case unsupportedEncoding(String)
        case tooLarge(limit: Int)
        case corrupt(String)

        var description: String {
            switch self {
            case .unsupportedEncoding(let encoding): "the body is compressed with \(encoding), which is not supported"
            case .tooLarge(let limit): "the decompressed body is larger than \(limit) bytes"
            case .corrupt(let detail): "the compressed body is corrupt (\(detail))"
            }
        }
    }

    var status: Int
    var headers: [(name: String, value: String)]
    var body: ArraySlice<UInt8>

    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The media type of the body, lowercased (`text/html`).
    var mediaType: String { WARCHeader.mediaType(of: header("Content-Type")) }

    /// The `charset` parameter of `Content-Type`, if any.
    var charset: String? { header("Content-Type").flatMap { HTMLCharsetPrescan.charsetParameter(Array($0.utf8)) } }

    /// Parses the status line and headers at the start of `block`; `nil` if it does not start with
    /// an HTTP status line. Header lines may end in CRLF or, from sloppy servers, LF alone.
    static func parse(_ block: [UInt8]) -> HTTPPayload? {
        var position = 0
        func nextLine() -> ArraySlice<UInt8>? {
            guard position < block.count else { return nil }
            let end = block[position...].firstIndex(of: 0x0A) ?? block.count
            var line = block[position..<end]
            position = min(end + 1, block.count)
            if line.last == 0x0D { line = line.dropLast() }
            return line
        }
        guard let statusLine = nextLine(), statusLine.starts(with: Array("HTTP/".utf8)) else { return nil }
        let parts = statusLine.split(separator: 0x20, maxSplits: 2)
        guard parts.count >= 2, let status = Int(String(decoding: parts[1], as: UTF8.self)) else { return nil }
        var headers: [(name: String, value: String)] = []
        while let line = nextLine(), !line.isEmpty {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = String(decoding: line[..<colon], as: UTF8.self)
            let value = Substring(decoding: line[(colon + 1)...], as: UTF8.self).trimmingWhitespace()
            headers.append((name, String(value)))
        }
        return HTTPPayload(status: status, headers: headers, body: block[position...])
    }

    /// The body with its transfer and content codings undone, at most `limit` bytes.
    func decodedBody(limit: Int) throws(BodyError) -> [UInt8] {
        var body = Array(body)
        if header("Transfer-Encoding")?.lowercased().contains("chunked") == true, let joined = Self.dechunk(body) {
            body = joined
        }
        let encoding = header("Content-Encoding")?.lowercased().trimming(" ") ?? ""
        switch encoding {
        case "", "identity", "none":
            return body
        case "gzip", "x-gzip":
            // Some crawlers store the body already decoded but keep the header: trust the bytes.
            guard body.starts(with: [0x1F, 0x8B]) else { return body }
            return try Self.gunzip(body, limit: limit)
        default:
            throw .unsupportedEncoding(encoding)
        }
    }

    /// Undoes chunked transfer coding; `nil` when the body is not chunked after all (crawlers that
    /// store the joined body but keep the header). A body cut short keeps the chunks it has.
    static func dechunk(_ body: [UInt8]) -> [UInt8]? {
        var joined: [UInt8] = []
        var position = 0
        var chunks = 0
        while position < body.count {
            guard let end = body[position...].firstIndex(of: 0x0A) else { break }
            var line = body[position..<end]
            if let semicolon = line.firstIndex(of: UInt8(ascii: ";")) { line = line[..<semicolon] }
            let digits = String(decoding: line, as: UTF8.self).trimming(" \r\t")
            guard let size = Int(digits, radix: 16), size >= 0 else { return chunks == 0 ? nil : joined }
            chunks += 1
            if size == 0 { return joined }
            let start = end + 1
            // A size past the end (as large as Int.max, in 16 hex digits) takes what is left, without
            // adding it to `start`, which would overflow.
            let stop = start + min(size, body.count - start)
            joined += body[start..<stop]
            position = stop
            // The CRLF after the chunk data.
            if position < body.count && body[position] == 0x0D { position += 1 }
            if position < body.count && body[position] == 0x0A { position += 1 }
        }
        return chunks == 0 ? nil : joined
    }

    private static func gunzip(_ body: [UInt8], limit: Int) throws(BodyError) -> [UInt8] {
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        do {
            let source = LimitedByteSource(try GzipByteSource(MemoryByteSource(body)), limit: limit)
            while true {
                let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
                if count == 0 { break }
                output += buffer[0..<count]
            }
        } catch InputError.decompressedTooLarge(let limit) {
            throw .tooLarge(limit: limit)
        } catch {
            // A record truncated by the crawler ends mid-stream: what was inflated is kept.
            if output.isEmpty { throw .corrupt("\(error)") }
        }
        return output
    }
}

extension String {
    fileprivate func trimming(_ set: String) -> String {
        let isTrimmed: (Character) -> Bool = { set.contains($0) }
        return String(drop(while: isTrimmed).reversed().drop(while: isTrimmed).reversed())
    }
}
