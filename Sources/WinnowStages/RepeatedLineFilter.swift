import CXXHash
import Synchronization
import WinnowCore
import WinnowText

/// Removes lines already seen in several kept documents of the same source: site furniture that no
/// rule anticipated (a slogan, a disclaimer, a sign-off). Lines are keyed by their lowercased text
/// (digits kept, so table rows of different figures stay apart) together with the document's
/// source (`source`): by default the URL's host, else the inbox folder the file was dropped in, else
/// the input file's name with its digits masked (`feed-0042.jsonl` and `feed-0043.jsonl` are one
/// source). Removed lines are counted under
/// `repeated_line`.
public struct RepeatedLineFilter: ConfigurableStage {
    /// Settings of `[stages.repeated_lines]`.
    public struct Configuration: StageConfiguration {
        /// A line seen in this many distinct kept documents of a source is furniture from then on.
        public var minDocuments = 3
        /// Shorter lines (in bytes) are not counted: too generic to say anything about a site.
        public var minLineBytes = 12
        /// What makes documents one source.
        public var source = Source.auto

        public init() {}
    }

    /// What documents share furniture within.
    public enum Source: String, SettingChoice, Sendable {
        /// The URL's host when the document has one, else the inbox folder, else the file-name pattern.
        case auto
        /// The input file's name with its digits masked, even for documents with URLs (one export
        /// per site, each holding pages of many hosts or none).
        case filePattern = "file_pattern"
        /// The input file's name itself (one WARC or JSONL file per crawl of one site).
        case file
    }

    public let name = "repeated_lines"
    private let configuration: Configuration
    /// Line keys seen in `min_documents` kept documents or more: furniture from then on.
    private let furniture = FurnitureKeys()

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    public var isStateful: Bool { true }

    /// Keys the lines and removes ahead those already known as furniture, so the stages after this
    /// one can be run ahead on the text as `apply` will most likely leave it.
    public func prepare(_ document: inout Document) {
        let (lines, keys) = keyedLines(of: document)
        let removed = furniture.contains(keys)
        if removed.contains(true) {
            document.text = Self.text(lines, removing: removed)
        }
        document.lineDraft = RepeatedLinesDraft(lines: lines, keys: keys, removed: removed)
    }

    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        let draft = document.lineDraft
        let (lines, keys) = draft.map { ($0.lines, $0.keys) } ?? keyedLines(of: document)
        let distinct = Array(Set(keys.compactMap { $0 }))
        document.lineKeys = distinct
        var repeated = Array(repeating: false, count: lines.count)
        if !distinct.isEmpty {
            let counts = context.documentCounts(lineKeys: distinct)
            repeated = keys.map { key in key.map { (counts[$0] ?? 0) >= configuration.minDocuments } ?? false }
            // What the draft removed was known already; anything else repeated is news for the hint.
            if draft?.removed != repeated {
                furniture.insert(zip(keys, repeated).compactMap { key, isRepeated in isRepeated ? key : nil })
            }
        }
        for (line, isRepeated) in zip(lines, repeated) where isRepeated {
            document.recordDroppedLine(line, rule: "repeated_line")
        }
        // The text prepared ahead already is what this decision leaves: keep it (and what the stages
        // after this one made of it).
        if let draft, draft.removed == repeated { return .keep }
        if repeated.contains(true) {
            document.text = Self.text(lines, removing: repeated)
        } else if draft?.removed.contains(true) == true {
            document.text = lines.joined(separator: "\n")
        }
        return .keep
    }

    /// The document's lines (split on every newline byte) and their keys, `nil` for lines shorter
    /// than `min_line_bytes`.
    private func keyedLines(of document: Document) -> (lines: [Substring], keys: [UInt64?]) {
        let lines = document.text.byteLines()
        var hasher = LineKeyHasher(source: Self.source(of: document, by: configuration.source))
        return (lines, lines.map { line in line.utf8.count >= configuration.minLineBytes ? hasher.key(line) : nil })
    }

    private static func text(_ lines: [Substring], removing removed: [Bool]) -> String {
        let kept = zip(lines, removed).compactMap { line, isRemoved in isRemoved ? nil : line }
        return WhitespaceNormalization.normalize(kept.joined(separator: "\n")).text
    }

    /// The source a document's furniture is shared within.
    static func source(of document: Document, by kind: Source) -> String {
        if kind == .auto, let url = document.metadata["url"]?.stringValue, let host = host(of: url) {
            return "host:" + host
        }
        let file = document.metadata["file"]?.stringValue ?? ""
        if kind == .file { return "name:" + file }
        // A file in an inbox folder shares its furniture with the folder's other files.
        if kind == .auto, let folder = document.inboxFolder { return "folder:" + folder }
        return "file:" + filePattern(file)
    }

    /// `name` with every number character masked: `feed-0042.jsonl` → `feed-####.jsonl`.
    static func filePattern(_ name: String) -> String {
        // Byte by byte for an ASCII name (the usual one), where only 0-9 are numbers: the same
        // pattern as character by character, without a walk over `Character`s per document.
        if UnicodeNormalization.isASCII(name) {
            return String(decoding: name.utf8.map { $0 &- 0x30 < 10 ? UInt8(ascii: "#") : $0 }, as: UTF8.self)
        }
        return String(name.map { $0.isNumber ? "#" : $0 })
    }

    private static func host(of url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != ":" && $0 != "?" && $0 != "#" }.lowercased()
        return host.isEmpty ? nil : host
    }

}

/// The key of a line within a source: XXH3-64 of the source, a newline and the lowercased line (the
/// keys are stored, so this form never changes). The source's bytes are written once into a buffer
/// each line reuses, and each line is lowercased into it as `lowercased()` would write it.
struct LineKeyHasher {
    private var buffer: [UInt8]
    private let prefix: Int

    init(source: String) {
        buffer = Array(source.utf8) + [0x0A]
        prefix = buffer.count
    }

    mutating func key(_ line: Substring) -> UInt64 {
        buffer.removeSubrange(prefix...)
        var line = line
        line.withUTF8 { UnicodeNormalization.appendLowercased($0, to: &buffer) }
        return buffer.withUnsafeBytes { XXH3_64bits($0.baseAddress, $0.count) }
    }
}

/// The line keys known as furniture, shared by the threads that prepare documents ahead and the
/// one that decides: a hint only (the decision reads the counts), bounded in size.
final class FurnitureKeys: Sendable {
    /// Past this many keys, no more are remembered (the hint then misses some furniture).
    static let capacity = 200_000
    private let keys = Mutex(Set<UInt64>())

    /// For each key, whether it is known as furniture.
    func contains(_ candidates: [UInt64?]) -> [Bool] {
        keys.withLock { known in candidates.map { $0.map { known.contains($0) } ?? false } }
    }

    func insert(_ new: [UInt64]) {
        guard !new.isEmpty else { return }
        keys.withLock { known in
            for key in new where known.count < Self.capacity { known.insert(key) }
        }
    }
}
