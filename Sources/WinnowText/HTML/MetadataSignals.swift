import WinnowCore

/// Everything on a page that can name its title, author, publication date and language, collected
/// while the page is parsed; `ArticleMetadata` decides between them.
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

    /// The elements whose text the signals read: the text arrives after the element's content has
    /// been parsed, through `take`.
    enum TextOf {
        case title, h1, jsonLD, relAuthor, itempropAuthor
    }

    /// Reads what an element named `name` says through its attributes, and names the texts wanted
    /// of it (at most three) in `wanted`.
    mutating func observe(name: ElementName, attributes: borrowing ElementAttributes, wanted: inout [TextOf]) {
        switch name {
        case .html:
            if htmlLang == nil, let lang = attributes.lang, !lang.isEmpty { htmlLang = lang }
        case .title:
            wanted.append(.title)
        case .h1:
            wanted.append(.h1)
        case .meta:
            guard let content = attributes.content?.trimmedSpaces, !content.isEmpty else { return }
            for key in [attributes.name, attributes.property, attributes.itemprop, attributes.httpEquiv] {
                if let key, meta[key] == nil { meta[key] = content }
            }
        case .script:
            guard let type = attributes.type, ByteSearch.contains(type, "ld+json") else { return }
            wanted.append(.jsonLD)
        case .time:
            if let datetime = attributes.datetime, !datetime.isEmpty {
                if attributes.itemprop == "datepublished" { itempropDate = itempropDate ?? datetime }
                if timeDatetime == nil { timeDatetime = datetime }
            }
        case .other:
            break
        }
        if let rel = attributes.rel, rel == "author" {
            wanted.append(.relAuthor)
        }
        if let itemprop = attributes.itemprop, name != .meta {
            if itemprop == "author" {
                wanted.append(.itempropAuthor)
            } else if itemprop == "datepublished" && itempropDate == nil {
                itempropDate = attributes.content ?? attributes.datetime
            }
        }
    }

    /// Takes the text of an element `observe` asked for, in the order the elements started. The text
    /// is the element's text nodes with a space before each child element, as they were parsed.
    mutating func take(_ bytes: [UInt8], of element: TextOf) {
        switch element {
        case .title:
            if titleElement == nil { titleElement = Self.collapsed(bytes) }
        case .h1:
            if firstH1 == nil { firstH1 = Self.collapsed(bytes) }
        case .jsonLD:
            if let value = try? JSONParser.parse(bytes).value { jsonLD.append(value) }
        case .relAuthor:
            guard relAuthor == nil else { return }
            let text = Self.collapsed(bytes)
            if !text.isEmpty { relAuthor = text }
        case .itempropAuthor:
            guard itempropAuthor == nil else { return }
            let text = Self.collapsed(bytes)
            if !text.isEmpty && text.utf8.count < 100 { itempropAuthor = text }
        }
    }

    private static func collapsed(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).trimmedSpaces
    }

    /// The element names the signals read.
    enum ElementName {
        case html, title, h1, meta, script, time, other

        init(_ name: String) {
            switch name {
            case "html": self = .html
            case "title": self = .title
            case "h1": self = .h1
            case "meta": self = .meta
            case "script": self = .script
            case "time": self = .time
            default: self = .other
            }
        }
    }
}
