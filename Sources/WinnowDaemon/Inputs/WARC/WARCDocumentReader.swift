import WinnowCore
import WinnowIO
import WinnowText

/// A WARC or WET input (`.warc`, `.warc.gz` with one gzip member per record, `.wet`): one document
/// per record that holds a page. `response` records with a successful HTTP response in HTML become
/// HTML documents (decoded with the charset of the HTTP `Content-Type`, else the page's `<meta>`);
/// `conversion` records (WET text) become text documents; `resource` records in HTML or plain text
/// too. Other records (`request`, `metadata`, `warcinfo`, `revisit`, non-HTML responses) are
/// skipped. The unit index is the record number, skipped records included, so resuming after a
/// crash skips the records already committed. A record with a broken header is rejected as
/// `malformed_input` with its byte offset, and reading resumes at the next record.
package final class WARCDocumentReader: DocumentReader {
    private let records: WARCRecordReader
    private let identity: InputIdentity
    private let maximumBytes: Int
    private var recordNumber = 0

    package init(source: any ByteSource, identity: InputIdentity, maximumBytes: Int) {
        self.records = WARCRecordReader(source)
        self.identity = identity
        self.maximumBytes = maximumBytes
    }

    package func next() throws -> InputUnit? {
        while let item = try records.next(keep: { [maximumBytes] header, length in
            Self.wantsBlock(header) ? min(length, maximumBytes) : 0
        }) {
            let index = recordNumber
            recordNumber += 1
            switch item {
            case .malformed(let offset, let error, let excerpt):
                let document = identity.document(
                    index: index, text: UTF8Repair.repair(excerpt).text, bytesIn: excerpt.count)
                let reason = DropReason.malformedInput(error, offset: offset)
                return .refused(document, reason, index: index)
            case .record(let record):
                if let unit = unit(for: record, index: index) { return unit }
            }
        }
        return nil
    }

    /// Whether a record may hold a document, so its block is worth keeping.
    private static func wantsBlock(_ header: WARCHeader) -> Bool {
        switch header.type {
        case "response": header.mediaType.hasPrefix("application/http")
        case "conversion": true
        case "resource": isHTML(header.mediaType) || header.mediaType == "text/plain"
        default: false
        }
    }

    private static func isHTML(_ mediaType: String) -> Bool {
        mediaType == "text/html" || mediaType == "application/xhtml+xml"
    }

    private func unit(for record: WARCRecordReader.Record, index: Int) -> InputUnit? {
        let header = record.header
        switch header.type {
        case "response":
            guard header.mediaType.hasPrefix("application/http"), let payload = HTTPPayload.parse(record.block),
                Self.isHTML(payload.mediaType)
            else { return nil }
            // Redirects, errors and empty answers hold no page worth keeping.
            guard (200...299).contains(payload.status) else { return nil }
            var document = base(record, index: index, format: .html)
            document.metadata["http_status"] = .int(payload.status)
            if record.contentLength > record.block.count { return tooLarge(document, index: index) }
            let body: [UInt8]
            do {
                body = try payload.decodedBody(limit: maximumBytes)
            } catch .tooLarge {
                return tooLarge(document, index: index)
            } catch {
                return .refused(
                    document, .malformedInput(error.description),
                    index: index)
            }
            return decoded(document, body: body, charset: payload.charset, index: index)
        case "conversion", "resource":
            guard Self.wantsBlock(header) else { return nil }
            let format: DocumentFormat = Self.isHTML(header.mediaType) ? .html : .text
            let document = base(record, index: index, format: format)
            if record.contentLength > record.block.count { return tooLarge(document, index: index) }
            let charset = header["Content-Type"].flatMap { HTMLCharsetPrescan.charsetParameter(Array($0.utf8)) }
            return decoded(document, body: record.block, charset: charset, index: index)
        default:
            return nil
        }
    }

    /// The document of a record, without its text: its id, file, URL and date.
    private func base(_ record: WARCRecordReader.Record, index: Int, format: DocumentFormat) -> Document {
        var document = identity.document(index: index, text: "", bytesIn: record.contentLength)
        document.format = format
        if let url = record.header["WARC-Target-URI"] {
            // WARC 1.0 examples wrap the URI in angle brackets; 1.1 does not.
            let bare = url.hasPrefix("<") && url.hasSuffix(">") ? String(url.dropFirst().dropLast()) : url
            document.metadata["url"] = .string(bare)
        }
        document.created = record.header["WARC-Date"]
        return document
    }

    private func decoded(_ document: Document, body: [UInt8], charset: String?, index: Int) -> InputUnit {
        var document = document
        do {
            let text = try TextDecoder.decode(body, declaredCharset: charset, html: document.format == .html)
            document.text = text.text
            document.recordDecoding(text)
            return .document(document, index: index)
        } catch {
            return .refused(
                document, DropReason("binary_content", details: ["error": .string(error.description)]), index: index)
        }
    }

    private func tooLarge(_ document: Document, index: Int) -> InputUnit {
        .refused(document, .tooLarge(limit: maximumBytes), index: index)
    }
}
