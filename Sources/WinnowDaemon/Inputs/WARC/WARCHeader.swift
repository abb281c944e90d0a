/// The named fields of a WARC record header (WARC 1.0 and 1.1, ISO 28500), looked up without
/// regard to case as the standard asks.
struct WARCHeader {
    /// The version line: `WARC/1.0` or `WARC/1.1`.
    var version: String
    /// The fields in order, names as written.
    var fields: [(name: String, value: String)] = []

    subscript(name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    /// `WARC-Type`, lowercased (`response`, `request`, `conversion`, …).
    var type: String { self["WARC-Type"]?.lowercased() ?? "" }

    /// The media type of the block (`Content-Type` without parameters), lowercased.
    var mediaType: String { Self.mediaType(of: self["Content-Type"]) }

    /// `text/html; charset=UTF-8` → `text/html`.
    static func mediaType(of contentType: String?) -> String {
        guard let contentType else { return "" }
        let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return type.trimmingWhitespace().lowercased()
    }
}

extension Substring {
    /// The substring without spaces and tabs at either end.
    func trimmingWhitespace() -> Substring {
        var start = startIndex
        var end = endIndex
        while start < end && (self[start] == " " || self[start] == "\t") { start = index(after: start) }
        while end > start && (self[index(before: end)] == " " || self[index(before: end)] == "\t") {
            end = index(before: end)
        }
        return self[start..<end]
    }
}
