import WinnowCore
import WinnowIO
import WinnowText

/// A JSONL input: one document per line, `text` required; `id` (as `source_id`), `url` and `title`
/// kept in metadata, `created` (or `date`) as the record's `created`. A line that is not a JSON
/// object, or has no string `text`, becomes a rejected record with its line number; blank lines
/// are skipped. The unit index is the 0-based line number, so resuming skips whole lines.
package final class JSONLDocumentReader: DocumentReader {
    /// How much of a malformed line is kept in its rejected record, to show what was wrong.
    private static let excerptBytes = 2048

    private let lines: LineReader
    private let identity: InputIdentity
    private let maximumBytes: Int

    package init(source: any ByteSource, identity: InputIdentity, maximumBytes: Int) {
        self.lines = LineReader(source, maximumLength: maximumBytes)
        self.identity = identity
        self.maximumBytes = maximumBytes
    }

    package func next() throws -> InputUnit? {
        while let line = try lines.next() {
            let index = line.number - 1
            if line.tooLong {
                let document = identity.document(index: index, text: "", bytesIn: line.length, line: line.number)
                return .refused(document, .tooLarge(limit: maximumBytes), index: index)
            }
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            return unit(for: line, index: index)
        }
        return nil
    }

    private func unit(for line: LineReader.Line, index: Int) -> InputUnit {
        let parsed: (value: JSONValue, replaced: Int)
        do {
            parsed = try JSONParser.parse(line.bytes)
        } catch {
            return refused(
                line, index: index,
                reason: .malformedInput(error.description))
        }
        guard let object = parsed.value.objectValue else {
            return refused(
                line, index: index,
                reason: .malformedInput("the line is not a JSON object"))
        }
        guard let text = object["text"]?.stringValue else {
            return refused(line, index: index, reason: .missingText)
        }
        var document = identity.document(index: index, text: text, bytesIn: line.length, line: line.number)
        if let id = object["id"], id != .null {
            document.metadata["source_id"] = id.stringValue.map(JSONValue.string) ?? id
        }
        for key in ["url", "title"] {
            if let value = object[key]?.stringValue { document.metadata[key] = .string(value) }
        }
        document.created = object["created"]?.stringValue ?? object["date"]?.stringValue
        if parsed.replaced > 0 { document.metadata["replaced_chars"] = .int(parsed.replaced) }
        return .document(document, index: index)
    }

    private func refused(_ line: LineReader.Line, index: Int, reason: DropReason) -> InputUnit {
        let excerpt = UTF8Repair.repair(Array(line.bytes.prefix(Self.excerptBytes))).text
        let document = identity.document(index: index, text: excerpt, bytesIn: line.length, line: line.number)
        return .refused(document, reason, index: index)
    }
}
