import WinnowCore
import WinnowText

/// Drops a document whose normalized text (`ExactKey`) was already kept, in this input or in any
/// earlier one (reason `exact_duplicate`, with `duplicate_of`), or already rejected as a near
/// duplicate (then it is one too, of the same kept record). Writes `metadata.content_hash`.
public struct ExactDeduplicator: Stage {
    public let name = "exact_dedup"

    public init() {}

    public var isStateful: Bool { true }

    public func prepare(_ document: inout Document) {
        _ = document.cachedDedupForm()
    }

    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        let key = XXH3.hash128(document.cachedDedupForm())
        document.exactKey = key
        document.metadata["content_hash"] = .string(key.description)
        if let match = context.exactMatch(forKey: key) { return .drop(match.reason) }
        return .keep
    }
}

extension Document {
    /// The dedup normal form of the text, computed once for both dedup stages.
    mutating func cachedDedupForm() -> [UInt8] {
        if let form = dedupForm { return form }
        let form = ExactKey.normalizedBytes(text)
        dedupForm = form
        return form
    }
}
