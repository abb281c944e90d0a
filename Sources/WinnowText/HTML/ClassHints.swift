/// What an element's `class` and `id` say about it, by substring, as readability does: names of
/// comment sections, share bars, sidebars and the like mark boilerplate; names like `article` or
/// `content` mark the body.
enum ClassHints {
    /// Names of boilerplate containers, removed before scoring unless `maybeContent` also matches
    /// (readability's `unlikelyCandidates`, plus share/newsletter/cookie/modal widgets).
    private static let unlikely: [StaticString] = [
        "-ad-", "ai2html", "banner", "breadcrumb", "combx", "comment", "community", "cover-wrap", "disqus", "extra",
        "footer", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss", "shoutbox", "sidebar",
        "skyscraper", "social", "sponsor", "supplemental", "ad-break", "agegate", "pagination", "pager", "popup",
        "yom-remote", "share", "sharing", "newsletter", "subscribe", "cookie", "modal", "signup",
    ]

    /// Names that keep an element whose name is also "unlikely" (readability's `okMaybeItsACandidate`).
    private static let maybeContent: [StaticString] = [
        "and", "article", "body", "column", "content", "main", "mathjax", "shadow",
    ]

    /// Names that lower a block's score (readability's `negative`, plus the usual widget names).
    private static let negative: [StaticString] = [
        "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "footer", "gdpr", "masthead", "media",
        "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar", "skyscraper", "sponsor",
        "shopping", "tags", "widget", "social", "newsletter", "subscribe", "cookie", "advert", "nav", "menu",
        "breadcrumb", "byline", "caption", "credit", "popup", "modal", "author", "taboola",
    ]

    /// Names that raise a block's score (readability's `positive`).
    private static let positive: [StaticString] = [
        "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text", "blog", "story",
    ]

    /// Names of image captions and photo credits.
    private static let caption: [StaticString] = ["caption", "credit"]

    /// Whether the names mark an image caption or a photo credit.
    static func isCaption(className: String, id: String) -> Bool {
        !(className.isEmpty && id.isEmpty) && matches(className + " " + id, caption)
    }

    /// Whether the names mark an element as boilerplate to remove before scoring.
    static func isUnlikely(className: String, id: String) -> Bool {
        if className.isEmpty && id.isEmpty { return false }
        let names = className + " " + id
        return matches(names, unlikely) && !matches(names, maybeContent)
    }

    /// The class weight: +25 or −25 for the class, the same for the id (readability's `getClassWeight`).
    static func weight(className: String, id: String) -> Int {
        var weight = 0
        for name in [className, id] where !name.isEmpty {
            if matches(name, negative) { weight -= 25 }
            if matches(name, positive) { weight += 25 }
        }
        return weight
    }

    /// Whether any of `patterns` occurs in `name`.
    static func matches(_ name: String, _ patterns: [StaticString]) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            patterns.contains { pattern in pattern.withUTF8Buffer { ByteSearch.contains(bytes, $0) } }
        }
    }
}
