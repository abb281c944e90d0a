import WinnowCore
import WinnowIO
import WinnowText

/// A plain text input: the whole content is one document (UTF-8; invalid bytes replaced and counted
/// in `metadata.replaced_chars`). Content with NUL bytes is refused as binary.
final class TextDocumentReader: DocumentReader {
    private let source: any ByteSource
    private let identity: InputIdentity
    private let maximumBytes: Int
    private var done = false

    init(source: any ByteSource, identity: InputIdentity, maximumBytes: Int) {
        self.source = source
        self.identity = identity
        self.maximumBytes = maximumBytes
    }

    func next() throws -> InputUnit? {
        guard !done else { return nil }
        done = true
        var content: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0
        while true {
            let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            if total < 8192 && chunk[0..<min(count, 8192 - total)].contains(0) {
                throw InputRefusal(description: "the content is binary (it holds NUL bytes), not text")
            }
            total += count
            if total <= maximumBytes { content.append(contentsOf: chunk[0..<count]) }
        }
        if total > maximumBytes {
            let document = identity.document(index: 0, text: "", bytesIn: total)
            let reason = DropReason("too_large", details: ["limit": .int(maximumBytes)])
            return .refused(document, reason, index: 0)
        }
        let repaired = UTF8Repair.repair(content)
        var document = identity.document(index: 0, text: repaired.text, bytesIn: total)
        if repaired.replaced > 0 { document.metadata["replaced_chars"] = .int(repaired.replaced) }
        return .document(document, index: 0)
    }
}
