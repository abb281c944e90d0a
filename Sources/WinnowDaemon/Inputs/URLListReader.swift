import WinnowCore
import WinnowFetch
import WinnowIO
import WinnowText

/// A `.urls` input: one URL per line, for the fetch queue. Blank lines and lines starting with `#`
/// are skipped; a line that is not an http or https URL becomes a rejected record (`malformed_input`
/// with the line number and why). The unit index is the 0-based line number, so a list cut short by
/// a crash resumes after its last committed batch.
package final class URLListReader: DocumentReader {
    private let lines: LineReader
    private let identity: InputIdentity

    package init(source: any ByteSource, identity: InputIdentity) {
        // A URL longer than 8 KiB is refused by most servers; such a line is reported, not fetched.
        self.lines = LineReader(source, maximumLength: 8 << 10)
        self.identity = identity
    }

    package func next() throws -> InputUnit? {
        while let line = try lines.next() {
            let index = line.number - 1
            let text = UTF8Repair.repair(Array(line.bytes.prefix(8 << 10))).text
            let trimmed = text.trimmingASCIIWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if line.tooLong {
                return refused(text, line: line, reason: "the line is longer than 8 KiB", index: index)
            }
            do {
                let url = try FetchURL(String(trimmed))
                return .url(url, index: index)
            } catch {
                return refused(text, line: line, reason: "not a URL to fetch: \(error)", index: index)
            }
        }
        return nil
    }

    private func refused(_ text: String, line: LineReader.Line, reason: String, index: Int) -> InputUnit {
        let document = identity.document(index: index, text: text, bytesIn: line.length, line: line.number)
        return .refused(document, .malformedInput(reason), index: index)
    }
}
