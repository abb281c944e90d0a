import WinnowCore
import WinnowIO
import WinnowText

/// A plain text or HTML input: the whole content is one document, decoded from whatever encoding
/// it is in (`TextDecoder`: byte order mark, for HTML the `<meta>` charset, UTF-8, uchardet,
/// windows-1252), with `metadata.charset` and `metadata.replaced_chars` saying how. HTML keeps
/// its markup, as a `.html` document for the extraction stage. Binary content (a known magic
/// number, NUL bytes outside UTF-16/32) refuses the whole input, saying what it looks like.
final class TextDocumentReader: DocumentReader {
    private let source: any ByteSource
    private let identity: InputIdentity
    private let maximumBytes: Int
    private let format: DocumentFormat
    private var done = false

    init(source: any ByteSource, identity: InputIdentity, maximumBytes: Int, format: DocumentFormat = .text) {
        self.source = source
        self.identity = identity
        self.maximumBytes = maximumBytes
        self.format = format
    }

    func next() throws -> InputUnit? {
        guard !done else { return nil }
        done = true
        var content: [UInt8] = []
        var chunk = [UInt8](readBuffer: 1 << 20)
        var total = 0
        while true {
            let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            if total == 0,
                let binary = chunk.withUnsafeBufferPointer({ TextDecoder.binaryCheck(.init(rebasing: $0[..<count])) })
            {
                throw InputRefusal(description: binary.description)
            }
            total += count
            if total <= maximumBytes { content.append(contentsOf: chunk[0..<count]) }
        }
        if total > maximumBytes {
            let document = identity.document(index: 0, text: "", bytesIn: total)
            let reason = DropReason.tooLarge(limit: maximumBytes)
            return .refused(document, reason, index: 0)
        }
        let decoded: DecodedText
        do {
            decoded = try TextDecoder.decode(content, html: format == .html)
        } catch {
            throw InputRefusal(description: error.description)
        }
        var document = identity.document(index: 0, text: decoded.text, bytesIn: total)
        document.format = format
        document.recordDecoding(decoded)
        return .document(document, index: 0)
    }
}
