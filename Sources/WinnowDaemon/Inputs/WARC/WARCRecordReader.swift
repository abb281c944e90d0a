import WinnowIO

/// Streams the records of a WARC file (1.0 or 1.1) one at a time: the header is parsed, the block
/// kept only as far as the caller asks and otherwise skipped, so a file of any size is read in
/// bounded memory. A record whose header cannot be parsed is reported with its byte offset, and
/// reading resumes at the next line that starts with `WARC/1.`.
final class WARCRecordReader {
    /// A record: its header, where it starts, and the kept part of its block.
    struct Record {
        var header: WARCHeader
        var offset: Int
        var contentLength: Int
        /// The first bytes of the block, as many as the caller asked for.
        var block: [UInt8]
    }

    /// What the next stretch of the file holds.
    enum Item {
        case record(Record)
        case malformed(offset: Int, error: String, excerpt: [UInt8])
    }

    /// The longest header line kept whole; a longer one makes the header malformed.
    static let maximumLineBytes = 64 << 10
    /// The most header lines one record may have.
    static let maximumHeaderLines = 1024
    /// How much of a malformed header is kept to show what was wrong.
    static let excerptBytes = 2048

    private let reader: BufferedByteReader
    private var resyncing = false

    init(_ source: any ByteSource) {
        reader = BufferedByteReader(source)
    }

    /// The next record or malformed stretch, `nil` at the end. `keep` says how many bytes of a
    /// record's block to keep, from its header; the rest of the block is skipped.
    func next(keep: (WARCHeader, Int) -> Int) throws -> Item? {
        guard let (first, offset) = try versionLine() else { return nil }
        var excerpt = Array(first.prefix(Self.excerptBytes))
        func malformed(_ error: String) -> Item {
            resyncing = true
            return .malformed(offset: offset, error: error, excerpt: excerpt)
        }
        guard first.starts(with: Self.versionPrefix) else {
            return malformed("expected a WARC/1.0 or WARC/1.1 record header")
        }
        var header = WARCHeader(version: String(decoding: first, as: UTF8.self))
        var lines = 0
        while true {
            guard let (line, truncated) = try reader.readLine(limit: Self.maximumLineBytes) else {
                return malformed("the file ends inside a record header")
            }
            if excerpt.count < Self.excerptBytes {
                excerpt += [0x0A] + line.prefix(Self.excerptBytes - excerpt.count)
            }
            if line.isEmpty { break }
            lines += 1
            if truncated || lines > Self.maximumHeaderLines { return malformed("the record header is too long") }
            if line[0] == 0x20 || line[0] == 0x09, !header.fields.isEmpty {
                // A folded line continues the previous field's value.
                header.fields[header.fields.count - 1].value +=
                    " "
                    + String(Substring(decoding: line, as: UTF8.self).trimmingWhitespace())
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
                return malformed("a header line has no field name: \(String(decoding: line.prefix(80), as: UTF8.self))")
            }
            let name = String(decoding: line[..<colon], as: UTF8.self)
            let value = Substring(decoding: line[(colon + 1)...], as: UTF8.self).trimmingWhitespace()
            header.fields.append((name, String(value)))
        }
        guard let lengthText = header["Content-Length"] else { return malformed("the record has no Content-Length") }
        guard let length = Int(lengthText), length >= 0 else {
            return malformed("the Content-Length is not a number: \(lengthText.prefix(80))")
        }
        guard !header.type.isEmpty else { return malformed("the record has no WARC-Type") }
        let (block, consumed) = try reader.read(length, keep: max(0, min(keep(header, length), length)))
        guard consumed == length else {
            return malformed("the file ends inside the record's block (\(consumed) of \(length) bytes)")
        }
        return .record(Record(header: header, offset: offset, contentLength: length, block: block))
    }

    private static let versionPrefix = Array("WARC/1.".utf8)

    /// The first line of the next record and its offset: after blank lines (records end with two
    /// CRLFs), or after a malformed record, the next line that starts with `WARC/1.`.
    private func versionLine() throws -> (line: [UInt8], offset: Int)? {
        while true {
            let offset = reader.offset
            guard let (line, _) = try reader.readLine(limit: Self.maximumLineBytes) else { return nil }
            if resyncing {
                guard line.starts(with: Self.versionPrefix) else { continue }
                resyncing = false
                return (line, offset)
            }
            if line.isEmpty { continue }
            return (line, offset)
        }
    }
}
