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

    /// What an element's class and id say about it.
    struct Hints: Equatable {
        /// +25 or −25 for the class, the same for the id (readability's `getClassWeight`).
        var classWeight = 0
        /// Boilerplate to remove before scoring (an unlikely name, and no name that may be content).
        var unlikely = false
        /// An image caption or a photo credit.
        var caption = false
    }

    /// The hints of an element named `className` and `id`, from one pass over each name.
    static func hints(className: String, id: String) -> Hints {
        let classKinds = kinds(in: className)
        let idKinds = kinds(in: id)
        let all = classKinds | idKinds
        var hints = Hints()
        for kinds in [classKinds, idKinds] {
            if kinds & Kind.negative != 0 { hints.classWeight -= 25 }
            if kinds & Kind.positive != 0 { hints.classWeight += 25 }
        }
        // No pattern holds a space, so the two names can be searched apart.
        hints.unlikely = all & Kind.unlikely != 0 && all & Kind.maybeContent == 0
        hints.caption = all & Kind.caption != 0
        return hints
    }

    /// The lists a pattern belongs to, as bits.
    private enum Kind {
        static let unlikely: UInt8 = 1
        static let maybeContent: UInt8 = 2
        static let negative: UInt8 = 4
        static let positive: UInt8 = 8
        static let caption: UInt8 = 16
    }

    /// Every pattern with the lists it is in, by its first two bytes (every pattern has three or
    /// more), so a name is scanned once for all of them.
    private static let patterns: [UInt16: [(bytes: [UInt8], kinds: UInt8)]] = {
        var kinds: [[UInt8]: UInt8] = [:]
        for (list, kind) in [
            (unlikely, Kind.unlikely), (maybeContent, Kind.maybeContent), (negative, Kind.negative),
            (positive, Kind.positive), (caption, Kind.caption),
        ] {
            for pattern in list {
                let bytes = pattern.withUTF8Buffer { Array($0) }
                precondition(bytes.count >= 2 && !bytes.contains(0x20))
                kinds[bytes, default: 0] |= kind
            }
        }
        var table: [UInt16: [(bytes: [UInt8], kinds: UInt8)]] = [:]
        for (bytes, kind) in kinds {
            table[UInt16(bytes[0]) << 8 | UInt16(bytes[1]), default: []].append((bytes, kind))
        }
        return table
    }()

    /// One bit per pair of bytes that some pattern starts with (8 KiB): most pairs of a name start
    /// none, and are passed over without hashing them for a lookup in `patterns`.
    private static let patternStarts: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 1 << 10)
        for pair in patterns.keys { bits[Int(pair >> 6)] |= 1 << (pair & 63) }
        return bits
    }()

    /// The lists of the patterns found in `name`.
    private static func kinds(in name: String) -> UInt8 {
        guard name.utf8.count >= 2 else { return 0 }
        var name = name
        let table = patterns
        let starts = patternStarts
        return name.withUTF8 { bytes in
            var found: UInt8 = 0
            for index in 0..<(bytes.count - 1) {
                let pair = UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
                guard starts[Int(pair >> 6)] & (1 << (pair & 63)) != 0, let candidates = table[pair] else { continue }
                for candidate in candidates where candidate.kinds & ~found != 0 {
                    let end = index + candidate.bytes.count
                    if end <= bytes.count && candidate.bytes.elementsEqual(bytes[index..<end]) {
                        found |= candidate.kinds
                    }
                }
            }
            return found
        }
    }
}
