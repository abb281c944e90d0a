import WinnowCore
import WinnowText

/// Removes short lines written in another script than the document (a Cyrillic social-media post
/// quoted in an English article, or the reverse), counting each under `foreign_script`. Letters are
/// counted per script: a line goes only when most of its letters are foreign, so brand names inside a
/// sentence stay, and nothing goes in a document whose own script holds too small a share of its letters.
public struct ForeignScriptLineRemover: Stage, ConfigurableStage {
    /// When a line is foreign.
    public struct Configuration: StageConfiguration {
        /// Only lines of at most this many characters are candidates (longer ones are content).
        public var maxLineLength = 200
        /// A candidate has at least this many letters in its own script (a lone brand name has fewer).
        public var minLineLetters = 15
        /// A candidate's letters are at least this share in one script other than the document's.
        public var minForeignShare = 0.6
        /// The document's main script holds at least this share of all letters, else the document is
        /// mixed throughout and no line is removed.
        public var minDocumentShare = 0.75

        public init() {}
    }

    public let name = "foreign_script_lines"
    private let configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        // The letters of ASCII text are all of one script (Latin), so none of its lines is foreign:
        // one pass over the bytes instead of a count of every line's letters.
        if UnicodeNormalization.isASCII(document.text) { return .keep }
        var text = document.text
        let foreign: [TextSpan] = text.withUTF8 { bytes in
            var lines: [TextSpan] = []
            TextSpan.lines(in: bytes, into: &lines)
            let counts = lines.map { ScriptCounts.letters(in: bytes, from: $0.start, to: $0.end) }
            let total = counts.reduce(into: ScriptCounts()) { $0.add($1) }
            guard let main = total.dominant, Double(total[main]) >= configuration.minDocumentShare * Double(total.sum)
            else { return [] }
            return zip(lines, counts).compactMap { line, count in isForeign(line, count, main, bytes) ? line : nil }
        }
        guard !foreign.isEmpty else { return .keep }
        for line in foreign {
            document.recordDroppedLine(Self.substring(text, line), rule: "foreign_script")
        }
        document.text = text.withUTF8 { Self.removing(foreign, from: $0) }
        return .keep
    }

    private static func substring(_ text: String, _ span: TextSpan) -> Substring {
        let utf8 = text.utf8
        return Substring(
            utf8[utf8.index(utf8.startIndex, offsetBy: span.start)..<utf8.index(utf8.startIndex, offsetBy: span.end)])
    }

    /// The text without the removed lines, with the blank lines around them folded to one.
    private static func removing(_ removed: [TextSpan], from bytes: UnsafeBufferPointer<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var next = 0
        var lineStart = 0
        var blankPending = false
        while lineStart <= bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var isRemoved = false
            while next < removed.count, removed[next].start < lineEnd {
                if removed[next].start >= lineStart { isRemoved = true }
                next += 1
            }
            if !isRemoved {
                if lineEnd == lineStart {
                    blankPending = !output.isEmpty
                } else {
                    if !output.isEmpty { output.append(0x0A) }
                    if blankPending { output.append(0x0A) }
                    output.append(contentsOf: bytes[lineStart..<lineEnd])
                    blankPending = false
                }
            }
            lineStart = lineEnd + 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private func isForeign(_ line: TextSpan, _ count: ScriptCounts, _ main: Script, _ bytes: UnsafeBufferPointer<UInt8>)
        -> Bool
    {
        guard let script = count.dominant, script != main, count[script] >= configuration.minLineLetters,
            Double(count[script]) >= configuration.minForeignShare * Double(count.sum),
            line.characters(in: bytes) <= configuration.maxLineLength
        else { return false }
        return true
    }
}
