import Testing
import WinnowText

/// Paragraphs of plain prose, long enough to read as an article body.
private let story = [
    "The harbour town woke early on Tuesday, as it has for two centuries, when the first boats came back "
        + "from the night's fishing and the market hall opened its doors to buyers from the inland villages.",
    "Fishermen say the catch has changed over the last decade: fewer cod, more mackerel, and a season that "
        + "starts weeks earlier than their fathers remember, which forces them to rethink old habits.",
    "The council plans to rebuild the breakwater next spring, paid for by a regional fund, and to widen the "
        + "quay so that larger vessels can unload without waiting for the tide to turn.",
    "Residents, for their part, mostly want the bakery on the square to stay open through the winter, and "
        + "a petition with four hundred names has already been handed to the mayor.",
]

private func paragraphs(_ texts: [String]) -> String {
    texts.map { "<p>\($0)</p>" }.joined(separator: "\n")
}

private let boilerplatePage = """
    <!DOCTYPE html><html lang="en"><head><title>Harbour news</title></head><body>
    <nav><a href="/">Home</a> <a href="/world">World navigation link</a></nav>
    <header><div class="logo">Site header banner</div></header>
    <div class="share-bar"><a href="#">Share on social networks</a></div>
    <main><article class="post">
    <h1>The harbour wakes</h1>
    \(paragraphs(story))
    </article></main>
    <aside class="sidebar"><h3>Most read</h3><p>A sidebar teaser that is not part of the story at all.</p></aside>
    <div id="comments" class="comments"><p>Reader comment: I grew up there, and this story is spot on, thanks!</p></div>
    <footer><p>Copyright footer text, all rights reserved.</p></footer>
    </body></html>
    """

@Suite struct ArticleExtractorTests {
    @Test func keepsTheArticleAndDropsPageFurniture() {
        let text = ArticleExtractor.extract(html: boilerplatePage).text
        for paragraph in story { #expect(text.contains(paragraph)) }
        for junk in [
            "navigation link", "header banner", "Share on social", "sidebar teaser", "Reader comment", "Copyright",
        ] {
            #expect(!text.contains(junk), "\(junk) leaked into the text")
        }
        #expect(text.contains(story[0] + "\n\n" + story[1]))
    }

    @Test func repairsUnclosedAndMisnestedTags() {
        let html = """
            <html><body><div id="content">
            <p>\(story[0])
            <p>\(story[1]) <b>bold <i>and italic</b> text</i> inside.
            <p>\(story[2])
            <div><p>\(story[3])</div>
            </body>
            """
        let text = ArticleExtractor.extract(html: html).text
        for paragraph in story { #expect(text.contains(paragraph)) }
        #expect(text.contains("bold and italic text inside."))
    }

    @Test func keepsTwoArticlesOneAfterTheOther() {
        let second = [
            "In the mountains, meanwhile, the new railway tunnel opened to passengers after six years of work, "
                + "cutting the journey between the two valleys from an hour and a half to twenty minutes.",
            "Engineers had to cope with water pouring into the bore, hard granite, and a winter that closed the "
                + "access road for weeks, but the project finished within its budget, officials said.",
            "Commuters interviewed on the first train were pleased, although several asked why the timetable "
                + "still leaves a gap of two hours in the middle of the day, when schools let out.",
        ]
        let html = """
            <html><body><div class="wrapper">
            <article><h2>The harbour wakes</h2>\(paragraphs(story))</article>
            <article><h2>A tunnel opens</h2>\(paragraphs(second))</article>
            </div></body></html>
            """
        let text = ArticleExtractor.extract(html: html).text
        for paragraph in story + second { #expect(text.contains(paragraph)) }
    }

    @Test func doubleLineBreaksSeparateParagraphs() {
        let html =
            "<html><body><div class=\"entry\">" + story.joined(separator: "<br><br>\n")
            + "<br>last line one<br>last line two</div></body></html>"
        let text = ArticleExtractor.extract(html: html).text
        #expect(text.contains(story[0] + "\n\n" + story[1] + "\n\n" + story[2]))
        #expect(text.contains("last line one\nlast line two"))
    }

    @Test(arguments: [
        "<p hidden>SECRET hidden attribute</p>",
        "<div aria-hidden=\"true\">SECRET aria hidden</div>",
        "<p style=\"color: red; display: none\">SECRET display none</p>",
        "<span style=\"visibility:hidden\">SECRET visibility hidden</span>",
        "<script>var secret = 'SECRET script';</script>",
        "<!-- SECRET comment -->",
    ])
    func dropsHiddenElements(hidden: String) {
        let html =
            "<html><body><article>\(paragraphs(Array(story.prefix(2))))\(hidden)"
            + "\(paragraphs(Array(story.suffix(2))))</article></body></html>"
        let text = ArticleExtractor.extract(html: html).text
        #expect(!text.contains("SECRET"))
        #expect(text.contains(story[3]))
    }

    @Test func readsMetadataFromOpenGraphJSONLDAndMeta() {
        let html = """
            <html lang="en-gb"><head>
            <title>Ignored title | The Coast Gazette</title>
            <meta property="og:title" content="The harbour wakes">
            <meta name="author" content="Jane Doe">
            <meta property="article:published_time" content="2024-05-16T10:30:00+02:00">
            <script type="application/ld+json">
            {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Headline from JSON-LD",
             "author": {"@type": "Person", "name": "John Roe"}, "datePublished": "2023-01-01"}
            </script>
            </head><body><article>\(paragraphs(story))</article></body></html>
            """
        let article = ArticleExtractor.extract(html: html)
        #expect(article.title == "The harbour wakes")
        #expect(article.author == "Jane Doe")
        #expect(article.published == "2024-05-16T08:30:00Z")
        #expect(article.language == "en-GB")
    }

    @Test func fallsBackToJSONLDThenTitleElement() {
        let jsonLD = """
            <html><head><title>Page title - Gazette</title><script type="application/ld+json">
            [{"@type": "WebSite", "name": "Gazette"}, {"@graph": [{"@type": "BlogPosting", "headline": "From the graph",
              "author": [{"name": "A. Writer"}, {"name": "B. Writer"}], "datePublished": "2021-03-04T05:06:07Z"}]}]
            </script></head><body><article>\(paragraphs(story))</article></body></html>
            """
        let fromJSONLD = ArticleExtractor.extract(html: jsonLD)
        #expect(fromJSONLD.title == "From the graph")
        #expect(fromJSONLD.author == "A. Writer, B. Writer")
        #expect(fromJSONLD.published == "2021-03-04T05:06:07Z")

        let plain = """
            <html><head><title>The harbour wakes up early | The Coast Gazette</title>
            <meta http-equiv="content-language" content="fr"></head>
            <body><article><time datetime="2020-02-29">29 Feb</time>\(paragraphs(story))</article></body></html>
            """
        let fromHTML = ArticleExtractor.extract(html: plain)
        #expect(fromHTML.title == "The harbour wakes up early")
        #expect(fromHTML.published == "2020-02-29")
        #expect(fromHTML.language == "fr")
        #expect(fromHTML.author == nil)
    }

    @Test(arguments: [
        ("2024-05-16", "2024-05-16"),
        ("2024-05-16T10:30:00Z", "2024-05-16T10:30:00Z"),
        ("2024-05-16T01:30:00.123-0500", "2024-05-16T06:30:00Z"),
        ("2024/05/16 23:45", "2024-05-16T23:45:00Z"),
        ("Thu, 16 May 2024 10:00:00 +0100", "2024-05-16T09:00:00Z"),
        ("May 16, 2024", "2024-05-16"),
        ("yesterday", nil as String?),
        ("2024-13-40", nil),
    ])
    func normalizesPublicationDates(raw: String, expected: String?) {
        let html = "<html><head><meta name=\"date\" content=\"\(raw)\"></head><body><p>x</p></body></html>"
        #expect(ArticleExtractor.extract(html: html).published == expected)
    }

    @Test func extractsLittleFromAPageOfLinks() {
        let links = (1...60).map { "<li><a href=\"/story/\($0)\">Another headline about topic number \($0)</a></li>" }
        let html = "<html><body><div class=\"content\"><ul>\(links.joined())</ul></div></body></html>"
        let text = ArticleExtractor.extract(html: html).text
        #expect(text.utf8.count < 200)
    }

    @Test func stopsAtTheNestingLimitOfLibxml2sTreeBuilder() {
        func page(depth: Int) -> String {
            "<html><body>" + String(repeating: "<div>", count: depth) + "<p>Deep text here.</p>"
                + String(repeating: "</div>", count: depth) + "</body></html>"
        }
        // html, body, 254 divs and the p: 257 open elements, the most the tree builder takes.
        let reached = ArticleExtractor.extract(html: page(depth: 254))
        #expect(reached.text == "Deep text here.")
        #expect(reached.nestingLimit == nil)
        let tooDeep = ArticleExtractor.extract(html: page(depth: 255))
        #expect(tooDeep.text.isEmpty)
        #expect(tooDeep.nestingLimit == 256)
    }

    @Test func readsWhatFollowsTheEndOfThePageWhereLibxml2sTreeBuilderPutsIt() {
        let after =
            "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"author\":"
            + "{\"name\":\"Tail Author\"}}</script>"
        let page = "<html><body>\(paragraphs(story))</body></html>\(after)"
        // Under the root when the root is the document's first node; beside it, and unread, otherwise.
        #expect(ArticleExtractor.extract(html: page).author == "Tail Author")
        #expect(ArticleExtractor.extract(html: "<!DOCTYPE html>" + page).author == nil)
        #expect(ArticleExtractor.extract(html: "<!-- generated -->" + page).author == nil)
    }

    @Test func readsTheWholeTextOfTheFirstElementThatQualifies() {
        let html = """
            <html><head><title>First <b>bold</b> title</title><title>Second</title></head><body>
            \(paragraphs(story))<p><a rel="author" href="/a"></a> and <a rel="author"><i>Jane</i> Roe</a></p>
            </body></html>
            """
        let article = ArticleExtractor.extract(html: html)
        #expect(article.title == "First bold title")
        #expect(article.author == "Jane Roe")
    }

    @Test func emptyInputGivesEmptyArticle() {
        #expect(ArticleExtractor.extract(html: "").text.isEmpty)
    }
}
