/// Turns an HTML page into its article's text and metadata, in the manner of readability, jusText and
/// trafilatura: libxml2 repairs the markup, page furniture and hidden elements are dropped, blocks are
/// scored to find the article body, and the body is rendered as paragraphs.
public enum ArticleExtractor {
    /// Below this many characters the result is suspect and the next, more permissive, attempt runs
    /// (readability's `charThreshold`).
    static let minimumLength = 500

    /// Extracts the article from `html` (already decoded to UTF-8).
    public static func extract(html: String) -> ExtractedArticle {
        guard let parsed = PageParser.parse(html: html) else {
            var truncated = ExtractedArticle(text: "")
            truncated.nestingLimit = PageParser.depthLimit
            return truncated
        }
        let tree = parsed.withoutFurniture()
        var paragraphs = body(of: tree)
        if length(paragraphs) < minimumLength {
            let permissive = body(of: parsed)
            let (length, permissiveLength) = (length(paragraphs), length(permissive))
            if (length < negligibleLength && permissiveLength > length)
                || (permissiveLength >= minimumLength * 2 && permissiveLength > length * 4)
            {
                paragraphs = permissive
            }
        }
        let metadata = ArticleMetadata(signals: tree.signals)
        // The headline is metadata, not body text: drop it where the body starts with it.
        let titles = Set(
            [metadata.title, tree.signals.firstH1, tree.signals.meta["og:title"]].compactMap { $0?.lowercased() })
        while let first = paragraphs.first, paragraphs.count > 1, titles.contains(first.lowercased()) {
            paragraphs.removeFirst()
        }
        let text = paragraphs.joined(separator: "\n\n")
        return ExtractedArticle(
            text: text, title: metadata.title, author: metadata.author, published: metadata.published,
            language: metadata.language)
    }

    /// Below this many characters the first pass found nothing worth keeping, and a later pass may
    /// take the article from anywhere on the page.
    static let negligibleLength = 200

    /// The article text of `tree`: readability's passes, each with one more heuristic off, until one
    /// yields enough text; otherwise the longest. Once the first pass found some text, a later pass
    /// counts only if it extends that text (contains its blocks), so a short article is not traded
    /// for the comment thread under it.
    private static func body(of tree: PageTree) -> [String] {
        let attempts = [
            ContentSelector.Flags(),
            ContentSelector.Flags(stripUnlikely: false),
            ContentSelector.Flags(stripUnlikely: false, weightClasses: false),
            ContentSelector.Flags(stripUnlikely: false, weightClasses: false, cleanConditionally: false),
        ]
        var best: [String] = []
        var firstRoots: [Int]?
        for flags in attempts {
            let selection = ContentSelector(tree: tree, flags: flags).select()
            var renderer = TextRenderer(tree: tree, skip: selection.skip)
            renderer.render(selection.roots)
            let text = renderer.paragraphs
            if let firstRoots, length(best) >= negligibleLength {
                let extends = firstRoots.allSatisfy { first in selection.roots.contains { tree.isWithin(first, $0) } }
                if !extends { continue }
            } else if firstRoots == nil {
                firstRoots = selection.roots
            }
            if length(text) >= minimumLength { return text }
            if length(text) > length(best) { best = text }
        }
        return best
    }

    /// The length in bytes of `paragraphs` joined by blank lines.
    private static func length(_ paragraphs: [String]) -> Int {
        paragraphs.reduce(0) { $0 + $1.utf8.count } + max(0, paragraphs.count - 1) * 2
    }
}
