/// The article found in an HTML page: its text and whatever the page says about it.
public struct ExtractedArticle: Sendable, Equatable {
    /// The article body: paragraphs separated by a blank line (empty when nothing looked like an article).
    public var text: String
    public var title: String?
    public var author: String?
    /// The publication date in ISO 8601: `YYYY-MM-DDTHH:MM:SSZ` when the page gives a time, else `YYYY-MM-DD`.
    public var published: String?
    /// The page's declared language (`en`, `pt-BR`, …).
    public var language: String?
    /// Set when the page nests elements deeper than the parser follows (this many levels): the
    /// text after that point is missing, so the page should not be taken as extracted.
    public var nestingLimit: Int?

    public init(
        text: String, title: String? = nil, author: String? = nil, published: String? = nil, language: String? = nil
    ) {
        self.text = text
        self.title = title
        self.author = author
        self.published = published
        self.language = language
    }
}
