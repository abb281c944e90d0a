/// Where a document came from, as written in the record's `source` field.
public enum DocumentSource: String, Sendable {
    case inbox
    case url
}

/// What the text of a document is, before extraction.
public enum DocumentFormat: String, Sendable {
    /// Plain text: cleaned line by line.
    case text
    /// An HTML page (already decoded to UTF-8): the extraction stage turns it into text.
    case html
}

/// A line a stage removed, kept only when an explanation was asked for (`winnowctl clean --explain`).
public struct DroppedLine: Sendable, Equatable {
    public var rule: String
    public var text: String

    public init(rule: String, text: String) {
        self.rule = rule
        self.text = text
    }
}

/// One document on its way through the stages.
public struct Document: Sendable {
    /// Stable id: the source file's content hash and the document's index in it.
    public var id: String
    /// The text, always valid UTF-8 (invalid input bytes are replaced before a document is made).
    public var text: String {
        didSet {
            // A stage that sets the same text again keeps what was computed from it.
            guard text != oldValue else { return }
            dedupForm = nil
            nearSketch = nil
            lineDraft = nil
            words = nil
        }
    }
    public var source: DocumentSource
    /// When the document was created, as an ISO 8601 string, if the input says.
    public var created: String?
    /// Record metadata, in output order (`file`, `line`, `bytes_in`, … and what stages add).
    public var metadata: JSONObject
    /// The text's dedup normal form (`ExactKey.normalizedBytes`), kept by the first dedup stage that
    /// computes it for the next; any change to `text` clears it.
    public var dedupForm: [UInt8]?
    /// The near-dedup sketch of the text (signature, band keys, shingle sample), computed ahead by the
    /// near deduplicator's `prepare`; any change to `text` clears it.
    public var nearSketch: NearKey?
    /// The text's words (`WordTokenizer`), split by the first quality stage that counts them and
    /// kept for the next; any change to `text` clears it, and so does the runner once the stages
    /// that read it have run.
    public var words: [WordSpan]?
    /// What the repeated-line filter's `prepare` expects it will remove from `text` (already
    /// removed from it); any change to `text` clears it.
    public var lineDraft: RepeatedLinesDraft?
    /// The exact-dedup key, set by the exact deduplicator; registered by the runner once the document is kept.
    public var exactKey: Hash128?
    /// The near-dedup key (MinHash signature and LSH band keys), set by the near deduplicator;
    /// registered by the runner once the document is kept.
    public var nearKey: NearKey?
    /// The distinct line keys of the document (source-qualified), set by the repeated-line filter;
    /// counted in the repeated-line table once the document is kept.
    public var lineKeys: [UInt64]?
    /// Whether `text` is still HTML or already text.
    public var format: DocumentFormat = .text
    /// Lines removed so far, by the rule that removed them (written to `metadata.dropped_lines`).
    public private(set) var droppedLines: [String: Int] = [:]
    /// The removed lines themselves, collected only when not `nil`.
    public var droppedLineLog: [DroppedLine]?

    public init(
        id: String, text: String, source: DocumentSource = .inbox, created: String? = nil,
        metadata: JSONObject = JSONObject()
    ) {
        self.id = id
        self.text = text
        self.source = source
        self.created = created
        self.metadata = metadata
    }

    /// Counts a line removed by `rule` (and logs it when an explanation is being collected).
    public mutating func recordDroppedLine(_ line: Substring, rule: String) {
        droppedLines[rule, default: 0] += 1
        droppedLineLog?.append(DroppedLine(rule: rule, text: String(line)))
    }

    /// Writes the dropped-line counts into the metadata (`lines_dropped`, `dropped_lines`).
    public mutating func finishLineAccounting() {
        guard !droppedLines.isEmpty else { return }
        metadata["lines_dropped"] = .int(droppedLines.values.reduce(0, +))
        var counts = JSONObject()
        for (rule, count) in droppedLines.sorted(by: { $0.key < $1.key }) { counts[rule] = .int(count) }
        metadata["dropped_lines"] = .object(counts)
    }

    /// The id of document number `index` in a source whose raw bytes hash to `sourceHash`.
    public static func makeID(sourceHash: Hash128, index: Int) -> String {
        "\(sourceHash)-\(index)"
    }
}

/// The repeated-line filter's work ahead on a text: its lines and their keys, and which of them it
/// expects to remove (those already known as furniture). The filter checks the expectation when it
/// decides, in input order.
public struct RepeatedLinesDraft: Sendable {
    /// The text's lines before any was removed.
    public var lines: [Substring]
    /// Each line's key, `nil` for lines too short to count.
    public var keys: [UInt64?]
    /// The lines removed from the text ahead.
    public var removed: [Bool]

    public init(lines: [Substring], keys: [UInt64?], removed: [Bool]) {
        self.lines = lines
        self.keys = keys
        self.removed = removed
    }
}
