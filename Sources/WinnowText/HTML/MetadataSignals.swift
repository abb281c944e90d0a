import CLibXML2
import WinnowCore

/// Everything on a page that can name its title, author, publication date and language, collected
/// while the tree is copied; `ArticleMetadata` decides between them.
struct MetadataSignals {
    var htmlLang: String?
    var titleElement: String?
    var firstH1: String?
    /// `<meta>` values by lowercased `name`, `property`, `itemprop` or `http-equiv`; the first one wins.
    var meta: [String: String] = [:]
    var jsonLD: [JSONValue] = []
    var timeDatetime: String?
    var relAuthor: String?
    var itempropAuthor: String?
    var itempropDate: String?

    mutating func observe(name: String, node: xmlNodePtr, attributes: inout ElementAttributes) {
        switch name {
        case "html":
            if htmlLang == nil, let lang = attributes.lang, !lang.isEmpty { htmlLang = lang }
        case "title":
            if titleElement == nil { titleElement = Self.text(of: node) }
        case "h1":
            if firstH1 == nil { firstH1 = Self.text(of: node) }
        case "meta":
            guard let content = attributes.content?.trimmedSpaces, !content.isEmpty else { return }
            for key in [attributes.name, attributes.property, attributes.itemprop, attributes.httpEquiv] {
                if let key, meta[key] == nil { meta[key] = content }
            }
        case "script":
            guard let type = attributes.type, ByteSearch.contains(type, "ld+json") else { return }
            let source = Self.text(of: node, collapse: false)
            if let value = try? JSONParser.parse(Array(source.utf8)).value { jsonLD.append(value) }
        case "time":
            if let datetime = attributes.datetime, !datetime.isEmpty {
                if attributes.itemprop == "datepublished" { itempropDate = itempropDate ?? datetime }
                if timeDatetime == nil { timeDatetime = datetime }
            }
        default:
            break
        }
        if let rel = attributes.rel, rel == "author", relAuthor == nil {
            let text = Self.text(of: node)
            if !text.isEmpty { relAuthor = text }
        }
        if let itemprop = attributes.itemprop, name != "meta" {
            if itemprop == "author" && itempropAuthor == nil {
                let text = Self.text(of: node)
                if !text.isEmpty && text.utf8.count < 100 { itempropAuthor = text }
            } else if itemprop == "datepublished" && itempropDate == nil {
                itempropDate = attributes.content ?? attributes.datetime
            }
        }
    }

    /// The text inside `node`, whitespace collapsed (unless `collapse` is false).
    static func text(of node: xmlNodePtr, collapse: Bool = true) -> String {
        var bytes: [UInt8] = []
        gather(node, into: &bytes)
        guard collapse else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: bytes, as: UTF8.self).trimmedSpaces
    }

    private static func gather(_ node: xmlNodePtr, into bytes: inout [UInt8]) {
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content {
                    var index = 0
                    while content[index] != 0 {
                        bytes.append(content[index])
                        index += 1
                    }
                }
            case XML_ELEMENT_NODE:
                bytes.append(0x20)
                gather(current, into: &bytes)
            default: break
            }
            child = current.pointee.next
        }
    }
}
