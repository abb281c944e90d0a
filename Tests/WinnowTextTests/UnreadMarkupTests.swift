import Testing

@testable import WinnowText

/// What is left out before libxml2 parses a page: only real script and style bodies and values of
/// attributes nobody reads, found as libxml2's tokenizer finds them.
@Suite struct UnreadMarkupTests {
    /// The page without what was found.
    private func stripped(_ html: String) -> String {
        var html = html
        return html.withUTF8 { bytes in
            String(decoding: UnreadMarkup.removing(UnreadMarkup.ranges(in: bytes), from: bytes), as: UTF8.self)
        }
    }

    @Test(arguments: [
        // Script and style bodies go, in any case, whatever they hold; the tags stay.
        (
            "<p>a</p><script>var s = '<p>not text</p>';</script><p>b</p><STYLE type=x>p{}</StYlE>",
            "<p>a</p><script></script><p>b</p><STYLE type=x></StYlE>"
        ),
        ("<script src=\"a.js\" async>x</script >", "<script src=\"a.js\" async></script >"),
        // JSON-LD is read for the metadata.
        (
            "<script type=\"application/LD+JSON\">{\"a\": 1}</script><script>x</script>",
            "<script type=\"application/LD+JSON\">{\"a\": 1}</script><script></script>"
        ),
        // A script body ends at the first </script, even inside a string, as libxml2 ends it.
        ("<script>a('</script>')</script>", "<script></script>')</script>"),
        // Not start tags: inside a comment, inside a quoted attribute value, a longer name.
        ("<!-- <script> --><p>kept</p></script>", "<!-- <script> --><p>kept</p></script>"),
        ("<img alt=\"<script>\">kept</script>", "<img alt=\"<script>\">kept</script>"),
        ("<a title = '<style>'>kept</style>", "<a title = '<style>'>kept</style>"),
        ("<scripts>kept</script>", "<scripts>kept</script>"),
        // A `>` inside a quoted value does not end the start tag.
        ("<script data-x=\"a>b\">x</script>", "<script data-x=\"a>b\"></script>"),
        // Empty to libxml2: what follows is content.
        ("<script src=x.js />kept</script>", "<script src=x.js />kept</script>"),
        // No end tag: kept, as is anything after an unclosed comment.
        ("<script>no end", "<script>no end"),
        ("<!-- open <script>x</script>", "<!-- open <script>x</script>"),
        // Long values of attributes extraction does not read are emptied, in well-formed start tags.
        (
            "<a HREF=\"https://example.com/a/long/path/to/a/page\" Class='one two three four five six'>x</a>",
            "<a HREF=\"\" Class='one two three four five six'>x</a>"
        ),
        (
            "<img src=x.png data-json='{\"a\": [1, 2, 3, 4, 5, 6, 7, 8]}' alt=\"short\" hidden/>",
            "<img src=x.png data-json='' alt=\"short\" hidden/>"
        ),
        (
            "<meta property=og:title content=\"A title long enough to be worth removing\">",
            "<meta property=og:title content=\"A title long enough to be worth removing\">"
        ),
        // A bare value ends at `>`, as libxml2 ends it: what follows is text, not attributes.
        (
            "<a x=b=\"c>d\" href=\"https://example.com/a/long/path/to/a/page\">",
            "<a x=b=\"c>d\" href=\"https://example.com/a/long/path/to/a/page\">"
        ),
        // A malformed start tag keeps its values, and a script after one keeps its body.
        (
            "<div =\"a b>c\" data-x=\"0123456789012345678901234567\">t</div>",
            "<div =\"a b>c\" data-x=\"0123456789012345678901234567\">t</div>"
        ),
        ("<script src=\"a.js\" \"x\">body</script>", "<script src=\"a.js\" \"x\">body</script>"),
        // A lone `<` is text; end tags and declarations are passed over.
        ("a < b <!DOCTYPE html></p><script>x</script>", "a < b <!DOCTYPE html></p><script></script>"),
    ])
    func removesOnlyUnreadMarkup(html: String, expected: String) {
        #expect(stripped(html) == expected)
    }

    /// The extraction reads the same article and JSON-LD metadata from a page whose scripts and
    /// styles hold markup-like text.
    @Test func extractionIsUnchanged() {
        let paragraph = "The council approved the new budget after a long debate about schools and roads."
        let html = """
            <html><head><title>Budget</title>
            <script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-05-06",
            "author": {"name": "Ana Silva"}}</script>
            <style>.x > p { color: red }</style>
            <script>document.write("<div class='ad'><p>Buy now, limited offer for readers</p></div>");</script>
            </head><body><article><h1>Budget approved</h1>
            \(String(repeating: "<p>\(paragraph)</p>\n", count: 6))
            <script>if (a < b && c > d) { x = "</div></article>"; }</script>
            </article></body></html>
            """
        let article = ArticleExtractor.extract(html: html)
        #expect(article.text.contains(paragraph))
        #expect(!article.text.contains("Buy now"))
        #expect(!article.text.contains("document.write"))
        #expect(article.author == "Ana Silva")
        #expect(article.published?.hasPrefix("2024-05-06") == true)
    }
}
