import Foundation
import WinnowCore

/// Chooses a page's title, author, publication date and language among the signals it carries,
/// the most explicit first: Open Graph and article tags, then JSON-LD, then plain HTML.
struct ArticleMetadata {
    var title: String?
    var author: String?
    var published: String?
    var language: String?

    init(signals: MetadataSignals) {
        let article = Self.articleObjects(signals.jsonLD)
        let meta = signals.meta
        let siteName = meta["og:site_name"]
        title =
            Self.nonEmpty(meta["og:title"].map { Self.cleanTitle($0, siteName: siteName, general: false) })
            ?? Self.nonEmpty(article.lazy.compactMap { $0["headline"]?.stringValue }.first?.trimmedSpaces)
            ?? Self.nonEmpty(signals.titleElement.map { Self.cleanTitle($0, siteName: siteName, general: true) })
            ?? Self.nonEmpty(signals.firstH1)
        let metaAuthor = [meta["author"], meta["article:author"], meta["dc.creator"], meta["byl"]]
            .compactMap { $0 }
            .first { !$0.hasPrefix("http") }
        author =
            Self.nonEmpty(metaAuthor?.trimmedSpaces)
            ?? Self.nonEmpty(article.lazy.compactMap { Self.personName($0["author"]) }.first)
            ?? Self.nonEmpty(signals.itempropAuthor) ?? Self.nonEmpty(signals.relAuthor)
        self.author = author.map(Self.cleanAuthor).flatMap(Self.nonEmpty)
        let dates: [String?] = [
            meta["article:published_time"], article.lazy.compactMap { $0["datePublished"]?.stringValue }.first,
            signals.itempropDate, meta["datepublished"], signals.timeDatetime, meta["date"], meta["pubdate"],
            meta["publishdate"], meta["dc.date.issued"], meta["dc.date"], meta["og:published_time"],
            meta["sailthru.date"],
        ]
        published = dates.lazy.compactMap { $0.flatMap(PublishedDate.normalize) }.first
        let languages: [String?] = [signals.htmlLang, meta["og:locale"], meta["content-language"]]
        language = languages.lazy.compactMap { $0.flatMap(Self.languageTag) }.first
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    /// JSON-LD objects describing a creative work (those with a `headline` or an article `@type`),
    /// looking into arrays and `@graph`.
    private static func articleObjects(_ values: [JSONValue]) -> [JSONObject] {
        var found: [JSONObject] = []
        var stack = values
        while let value = stack.popLast() {
            switch value {
            case .array(let items): stack.append(contentsOf: items.reversed())
            case .object(let object):
                if let graph = object["@graph"] { stack.append(graph) }
                let type = typeName(object["@type"])
                if object["headline"] != nil || type.hasSuffix("article") || type.hasSuffix("posting") {
                    found.append(object)
                }
            default: break
            }
        }
        return found
    }

    private static func typeName(_ value: JSONValue?) -> String {
        switch value {
        case .string(let name): name.lowercased()
        case .array(let names): names.compactMap(\.stringValue).joined(separator: " ").lowercased()
        default: ""
        }
    }

    /// The name in a JSON-LD `author`: a string, a `Person` object, or a list of either (joined).
    private static func personName(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let name): return name.trimmedSpaces
        case .object(let object): return object["name"]?.stringValue?.trimmedSpaces
        case .array(let items):
            let names = items.compactMap { personName($0) }.filter { !$0.isEmpty }
            return names.isEmpty ? nil : names.joined(separator: ", ")
        default: return nil
        }
    }

    /// Removes a leading "By" and the separators and punctuation bylines trail ("Jane Doe —").
    static func cleanAuthor(_ raw: String) -> String {
        var name = Substring(raw.trimmedSpaces)
        if name.lowercased().hasPrefix("by ") { name = name.dropFirst(3) }
        let edge: (Character) -> Bool = { !($0.isLetter || $0.isNumber || $0 == "." || $0 == ")") }
        while let last = name.last, edge(last) { name = name.dropLast() }
        while let first = name.first, edge(first) { name = name.dropFirst() }
        return String(name)
    }

    /// Removes a " | Site" (or " - Site", " — Site", …) suffix or prefix. Without `general`, only a
    /// part equal to the site name is removed.
    static func cleanTitle(_ raw: String, siteName: String?, general: Bool) -> String {
        let title = raw.trimmedSpaces
        let separators = [" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / "]
        for separator in separators {
            let parts = title.components(separatedBy: separator)
            guard parts.count > 1 else { continue }
            if let siteName = siteName?.trimmedSpaces.lowercased(), !siteName.isEmpty {
                if parts.last?.lowercased() == siteName { return parts.dropLast().joined(separator: separator) }
                if parts.first?.lowercased() == siteName { return parts.dropFirst().joined(separator: separator) }
            }
            guard general else { continue }
            // The site's name is the short end: at most three words, and no longer than the rest.
            let head = parts.dropLast().joined(separator: separator)
            let tail = parts.dropFirst().joined(separator: separator)
            let (headWords, tailWords) = (words(head), words(tail))
            let (firstWords, lastWords) = (words(parts[0]), words(parts[parts.count - 1]))
            if lastWords <= 3 && headWords >= lastWords { return head }
            if firstWords <= 3 && tailWords > firstWords { return tail }
        }
        return title
    }

    private static func words(_ text: String) -> Int {
        text.split(separator: " ").count
    }

    /// `en_US` → `en-US`; `nil` for values that are not a language tag.
    private static func languageTag(_ raw: String) -> String? {
        let value = raw.trimmedSpaces.replacingOccurrences(of: "_", with: "-")
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = parts.first, (2...3).contains(primary.count),
            primary.allSatisfy({ $0.isASCII && $0.isLetter })
        else { return nil }
        var tag = primary.lowercased()
        for part in parts.dropFirst() {
            guard !part.isEmpty, part.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { break }
            tag += "-" + (part.count == 2 ? part.uppercased() : String(part))
        }
        return tag
    }
}
