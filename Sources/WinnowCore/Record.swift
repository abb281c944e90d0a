/// One output line (**Contract**, DESIGN.md section 4): a kept or rejected document in the
/// Dolma/datatrove layout.
public struct Record: Sendable {
    public var id: String
    public var text: String
    public var source: DocumentSource
    /// When the record was written, ISO 8601 UTC.
    public var added: String
    public var created: String?
    public var metadata: JSONObject

    public init(document: Document, added: String) {
        self.id = document.id
        self.text = document.text
        self.source = document.source
        self.added = added
        self.created = document.created
        self.metadata = document.metadata
    }

    /// A rejected record: the document as it was when dropped, with `metadata.reason` and the reason's details.
    public init(rejected document: Document, reason: DropReason, added: String) {
        self.init(document: document, added: added)
        metadata["reason"] = .string(reason.code)
        reason.details.forEachPair { key, value in metadata[key] = value }
    }

    /// Appends the record as one JSON line (with its trailing newline) to `out`.
    public func appendJSONLine(to out: inout [UInt8]) {
        var object = JSONObject()
        object["id"] = .string(id)
        object["text"] = .string(text)
        object["source"] = .string(source.rawValue)
        object["added"] = .string(added)
        object["created"] = created.map(JSONValue.string) ?? .null
        object["metadata"] = .object(metadata)
        JSONWriter.write(object, into: &out)
        out.append(UInt8(ascii: "\n"))
    }
}
