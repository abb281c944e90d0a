import WinnowCore
import WinnowFetch

/// One unit read from an input, numbered for resuming: a document for the stages, a document
/// refused before them (a malformed line, one too large), or a URL for the fetch queue.
package enum InputUnit {
    case document(Document, index: Int)
    case refused(Document, DropReason, index: Int)
    case url(FetchURL, index: Int)

    package var index: Int {
        switch self {
        case .document(_, let index), .refused(_, _, let index), .url(_, let index): index
        }
    }
}

/// Reads the units of one input in order.
package protocol DocumentReader: AnyObject {
    /// The next unit, or `nil` at the end of the input.
    func next() throws -> InputUnit?
}

/// Why a whole input cannot be processed (as opposed to one document in it).
public struct InputRefusal: Error, CustomStringConvertible {
    public var description: String
}

/// What every reader needs to name the documents of an input.
package struct InputIdentity {
    /// The file name as dropped.
    package var name: String
    /// XXH3-128 of its raw bytes: with the index, the document ids.
    package var contentHash: Hash128

    package init(name: String, contentHash: Hash128) {
        self.name = name
        self.contentHash = contentHash
    }

    func document(index: Int, text: String, bytesIn: Int, line: Int? = nil) -> Document {
        var metadata = JSONObject()
        metadata["file"] = .string(name)
        if let line { metadata["line"] = .int(line) }
        metadata["bytes_in"] = .int(bytesIn)
        return Document(id: Document.makeID(sourceHash: contentHash, index: index), text: text, metadata: metadata)
    }
}
