/// Why a document was dropped: a stable `snake_case` code (low cardinality, used in counters and
/// metrics) plus details that go into the rejected record's metadata.
public struct DropReason: Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var details: JSONObject

    public init(_ code: String, details: JSONObject = JSONObject()) {
        self.code = code
        self.details = details
    }

    public var description: String { code }

    /// The document has no text left after normalization.
    public static let empty = DropReason("empty")
    /// The document is larger than `limits.max_document_bytes`.
    public static func tooLarge(limit: Int) -> DropReason {
        DropReason("too_large", details: ["limit": .int(limit)])
    }
    /// A JSONL line that is not a JSON object.
    public static func malformedInput(_ error: String, offset: Int? = nil) -> DropReason {
        var details: JSONObject = ["error": .string(error)]
        if let offset { details["offset"] = .int(offset) }
        return DropReason("malformed_input", details: details)
    }
    /// A JSONL object without a string `text` field.
    public static let missingText = DropReason("missing_text")

    /// A document whose normalized text was already kept.
    public static func exactDuplicate(of id: String) -> DropReason {
        DropReason("exact_duplicate", details: ["duplicate_of": .string(id), "similarity": .double(1.0)])
    }
}
