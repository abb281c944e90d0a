import WinnowCore
import WinnowText

/// Turns an HTML document into its article's text (see `ArticleExtractor`) and records what the page
/// says about itself: `metadata.title` (unless one is already set), `metadata.author`,
/// `metadata.html_lang`, and `created` from the publication date when the input gave none.
/// Documents that are already text pass through unchanged.
public struct HTMLExtractor: Stage {
    public let name = "html_extract"

    public init() {}

    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        guard document.format == .html else { return .keep }
        let article = ArticleExtractor.extract(html: document.text)
        if let limit = article.nestingLimit {
            // Rejected with the page as it came, so nothing is lost.
            return .drop(DropReason("html_too_deep", details: ["max_depth": .int(limit)]))
        }
        document.text = article.text
        document.format = .text
        if let title = article.title, document.metadata["title"] == nil { document.metadata["title"] = .string(title) }
        if let author = article.author { document.metadata["author"] = .string(author) }
        if let language = article.language { document.metadata["html_lang"] = .string(language) }
        if document.created == nil, let published = article.published { document.created = published }
        return .keep
    }
}
