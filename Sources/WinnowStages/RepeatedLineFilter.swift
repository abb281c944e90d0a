import CXXHash
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

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    public var isStateful: Bool { true }

    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        let source = Self.source(of: document, by: configuration.source)
        // Lines split on the byte: a `Character` split would walk grapheme clusters.
        let lines = document.text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
        var hasher = LineKeyHasher(source: source)
        let keys = lines.map { line in line.utf8.count >= configuration.minLineBytes ? hasher.key(line) : nil }
        let distinct = Array(Set(keys.compactMap { $0 }))
        document.lineKeys = distinct
        guard !distinct.isEmpty else { return .keep }
        let counts = context.documentCounts(lineKeys: distinct)
        let repeated = keys.map { key in key.map { (counts[$0] ?? 0) >= configuration.minDocuments } ?? false }
        guard repeated.contains(true) else { return .keep }
        var kept: [Substring] = []
        for (line, isRepeated) in zip(lines, repeated) {
            if isRepeated { document.recordDroppedLine(line, rule: "repeated_line") } else { kept.append(line) }
        }
        document.text = WhitespaceNormalization.normalize(kept.joined(separator: "\n")).text
        return .keep
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
        return "file:" + String(file.map { $0.isNumber ? "#" : $0 })
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
/// each line reuses; ASCII lines are lowercased byte by byte there, others through `lowercased()`.
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
        let ascii = line.withUTF8 { bytes in
            for byte in bytes {
                guard byte < 0x80 else { return false }
                buffer.append(byte &+ ((byte &- 0x41) < 26 ? 0x20 : 0))
            }
            return true
        }
        if !ascii {
            buffer.removeSubrange(prefix...)
            buffer.append(contentsOf: line.lowercased().utf8)
        }
        return buffer.withUnsafeBytes { XXH3_64bits($0.baseAddress, $0.count) }
    }
}
