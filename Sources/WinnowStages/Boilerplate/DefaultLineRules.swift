/// The boilerplate filter's built-in data: phrase rules by name (the name is the rule counted in
/// `metadata.dropped_lines`) and the cue words its statistical rules weigh. These are the phrases
/// page furniture is made of across news sites, not sentences of any particular page. The same data,
/// readable, is shipped as `Deploy/boilerplate-rules.toml`; users add rules with
/// `[stages.boilerplate_lines.extra_rules.<name>]`.
enum DefaultLineRules {
    static let rules: [String: LineRule] = [
        "comment_form": LineRule(
            .prefix, maxWords: 14,
            [
                "leave a reply", "leave a comment", "add a comment", "post a comment", "post comment", "submit comment",
                "your email address will not be published", "required fields are marked", "please enter your comment",
                "please enter your name", "you have entered an incorrect email address", "save my name email",
                "notify me of follow up comments", "notify me of new posts", "cancel reply", "log in to comment",
                "join the conversation", "comments", "show comments", "view comments", "comment", "reply",
            ]),
        "related": LineRule(
            .prefix, maxWords: 20, unpunctuated: true,
            [
                "related articles", "related posts", "related stories", "related news", "related", "read more",
                "read also", "also read", "see also", "more from", "more stories", "more news", "recommended",
                "recommended for you", "you may also like", "you might also like", "latest posts", "latest news",
                "latest stories", "popular posts", "most read", "most popular", "trending now", "top stories",
                "further reading", "more on this story", "don't miss", "editor's picks", "what to read next",
            ]),
        "share": LineRule(
            .whole, maxWords: 8, unpunctuated: true,
            [
                "share", "share this", "share this article", "share this story", "share on facebook",
                "share on twitter", "tweet", "email", "print", "copy link", "link copied", "whatsapp", "facebook",
                "twitter", "linkedin", "pinterest", "reddit", "telegram", "share via", "share article", "print article",
                "facebook twitter", "facebook twitter email", "facebook twitter whatsapp email",
            ]),
        "newsletter": LineRule(
            .prefix, maxWords: 16,
            [
                "subscribe", "sign up", "get our newsletter", "newsletter", "join our newsletter", "stay connected",
                "follow us", "already a subscriber", "become a member", "become a subscriber", "support our journalism",
                "support independent journalism", "donate", "get the latest", "never miss", "get breaking news",
                "want more", "get unlimited access",
            ]),
        "navigation": LineRule(
            .whole, maxWords: 6, unpunctuated: true,
            [
                "home", "menu", "search", "skip to content", "skip to main content", "back to top", "next article",
                "previous article", "next post", "previous post", "log in", "sign in", "register", "privacy policy",
                "terms of use", "terms of service", "cookie policy", "contact us", "about us", "close", "open menu",
                "toggle navigation", "main menu", "more", "load more", "show more",
            ]),
        "legal": LineRule(
            .contains, maxWords: 40,
            [
                "all rights reserved", "we use cookies", "accept cookies", "cookie settings", "uses cookies",
                "by continuing to use this site", "may not be published broadcast rewritten or redistributed",
            ]),
        "advert": LineRule(
            .whole, maxWords: 6,
            [
                "advertisement", "advertising", "sponsored", "sponsored content", "ad", "promoted", "paid content",
                "story continues below advertisement", "continue reading below", "scroll to continue",
                "article continues below", "story continues below",
            ]),
        "podcast_pitch": LineRule(
            .contains, maxWords: 40,
            [
                "ad choices", "adchoices", "listen to this article", "listen to the podcast",
                "available on apple podcasts",
                "wherever you get your podcasts", "subscribe to the podcast", "listen now",
            ]),
        "link_text": LineRule(
            .contains, maxWords: 40,
            [
                "opens new tab", "opens in new window", "opens in a new window", "opens in a new tab", "click here",
                "tap here", "click to share", "click to email",
            ]),
        "byline": LineRule(
            .prefix, maxWords: 10, unpunctuated: true,
            [
                "by", "written by", "posted by", "words by", "story by", "author", "authored by", "published by",
            ]),
        "credits": LineRule(
            .prefix, maxWords: 60,
            [
                "reporting by", "additional reporting by", "additional reporting", "writing by", "editing by",
                "edited by", "compiled by", "produced by", "graphics by", "research by", "fact checked by",
            ]),
        "source_line": LineRule(
            .prefix, maxWords: 6, unpunctuated: true,
            [
                "source", "sources", "with agencies", "agencies",
            ]),
        "photo_credit": LineRule(
            .prefix, maxWords: 16, unpunctuated: true,
            [
                "ap images", "ap photo", "getty images", "afp photo", "afp via getty images", "photo by",
                "photograph by",
                "photo credit", "image credit", "image source", "image caption", "pictured", "file photo",
                "reuters photo",
                "shutterstock", "epa photo", "photo illustration", "photos by", "images by",
            ]),
        "caption_credit": LineRule(
            .contains, maxWords: 80,
            [
                "via reuters", "via getty images", "pool via", "purchase licensing rights", "photo credit",
                "photo courtesy", "image courtesy",
            ]),
    ]

    /// Phrases of the third-person career summaries at the foot of articles ("… is a veteran
    /// journalist …"). A line with several distinct cues is a reporter's bio.
    static let bioCues = [
        "journalist", "correspondent", "reporter", "bureau chief", "years of experience", "reports on",
        "covering", "covers", "coverage", "before joining", "previously worked", "graduated", "started his career",
        "started her career", "joined", "holds a degree", "speaks fluent", "is based in", "award winning",
        "follow him", "follow her", "his work has appeared", "her work has appeared", "contributing writer",
        "staff writer", "senior writer", "editor", "columnist", "newsroom",
    ]

    /// Words and phrases of subscription and marketing pitches.
    static let promoCues = [
        "subscribe", "subscription", "subscriber", "subscribers", "sign up", "newsletter", "exclusive",
        "unlimited access", "digital access", "digital edition", "print edition", "ad free", "money back",
        "cancel anytime", "free trial", "per year", "per month", "your inbox", "we bring you", "don't miss",
        "become a member", "support our", "donate", "magazine", "delve into", "get access", "join us", "upgrade",
        "premium", "special offer", "limited time", "issues per year", "insightful", "unparalleled",
    ]

    /// Verbs that open a pitch addressed to the reader.
    static let imperativeStarts: Set<String> = [
        "get", "discover", "join", "subscribe", "download", "click", "follow", "support", "donate", "try", "unlock",
        "explore", "listen", "watch", "register", "upgrade", "enjoy", "save", "claim", "grab", "delve",
    ]

    /// Pronouns that address the reader (counted outside quotations only).
    /// ("us" is left out: lowercased, it cannot be told from "US".)
    static let readerPronouns: Set<String> = ["you", "your", "you're", "yours", "we", "our", "we're", "we've"]

    /// Hosts of social networks and link shorteners: a line carrying their links is an embed.
    static let socialHosts = [
        "t.co", "pic.twitter.com", "twitter.com", "x.com", "instagram.com", "facebook.com", "fb.me", "fb.watch",
        "youtu.be", "youtube.com", "tiktok.com", "bit.ly", "ow.ly", "buff.ly", "t.me", "threads.net",
        "bsky.app", "linkedin.com", "lnkd.in", "dlvr.it", "trib.al", "wp.me",
    ]

    /// Month names, full and abbreviated.
    static let months: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]

    /// Times of day and time zones.
    static let timeMarkers: Set<String> = [
        "am", "pm", "edt", "est", "cdt", "cst", "pdt", "pst", "mdt", "mst", "gmt", "utc", "bst", "cet", "cest", "ist",
        "jst", "aest",
    ]

    /// Date words that make a line of date words a dateline: weekdays, times of day, "updated".
    static let datelineMarkers: Set<String> = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "wed", "thu",
        "fri", "sat", "sun", "am", "pm", "edt", "est", "cdt", "cst", "pdt", "pst", "mdt", "mst", "gmt", "utc",
        "bst", "cet", "cest", "ist", "jst", "aest", "updated", "published", "posted", "modified", "ago",
    ]

    /// Words that may fill a line that is only a date, a time or a dateline.
    static let dateWords: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "wed",
        "thu", "fri", "sat", "sun", "am", "pm", "a", "m", "p", "edt", "est", "cdt", "cst", "pdt", "pst", "mdt",
        "mst", "gmt", "utc", "bst", "cet", "cest", "ist", "jst", "aest", "updated", "published", "posted",
        "modified", "last", "on", "at", "day", "date", "the", "of", "th", "st", "nd", "rd", "hours", "hour", "ago",
        "minutes", "minute", "min", "read", "time", "reading",
    ]
}
