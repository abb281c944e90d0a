/// Where a document came from, as written in the record's `source` field.
public enum DocumentSource: String, Sendable {
    case inbox
    case url
}

/// One document on its way through the stages.
public struct Document: Sendable {
    /// Stable id: the source file's content hash and the document's index in it.
    public var id: String
    /// The text, always valid UTF-8 (invalid input bytes are replaced before a document is made).
    public var text: String
    public var source: DocumentSource
    /// When the document was created, as an ISO 8601 string, if the input says.
    public var created: String?
    /// Record metadata, in output order (`file`, `line`, `bytes_in`, … and what stages add).
    public var metadata: JSONObject
    /// The exact-dedup key, set by the exact deduplicator; registered by the runner once the document is kept.
    public var exactKey: Hash128?

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

    /// The id of document number `index` in a source whose raw bytes hash to `sourceHash`.
    public static func makeID(sourceHash: Hash128, index: Int) -> String {
        "\(sourceHash)-\(index)"
    }
}
