import Testing
import WinnowCore
import WinnowStages

private struct NoIndex: ExactIndexReading {
    func keptDocument(forExactKey key: Hash128) throws -> String? { nil }
}

private let page = """
    <html lang="de"><head><title>Ein Artikel | Zeitung</title>
    <meta name="author" content="Erika Mustermann">
    <meta property="article:published_time" content="2022-07-01T12:00:00Z"></head>
    <body><nav><a href="/">Start</a></nav><article>
    <p>Der erste Absatz erzählt, wie die Stadt am Fluss ihren alten Hafen in einen Park verwandelt hat, der an \
    Sommerabenden voller Menschen ist, die am Wasser sitzen und den Schiffen zusehen.</p>
    <p>Der zweite Absatz berichtet von den Kosten, den Verzögerungen und den Plänen für ein Museum, das im \
    ehemaligen Lagerhaus entstehen soll, sobald die Finanzierung gesichert ist.</p>
    </article></body></html>
    """

@Suite struct HTMLExtractorTests {
    private func run(_ document: inout Document) -> Verdict {
        HTMLExtractor().apply(to: &document, context: StageContext(exactIndex: NoIndex()))
    }

    @Test func replacesHTMLWithArticleTextAndMetadata() {
        var document = Document(id: "page-0", text: page)
        document.format = .html
        #expect(run(&document) == .keep)
        #expect(document.format == .text)
        #expect(document.text.hasPrefix("Der erste Absatz"))
        #expect(document.text.contains("Hafen in einen Park verwandelt hat, der an Sommerabenden"))
        #expect(
            document.text.contains(
                "Sommerabenden voller Menschen ist, die am Wasser sitzen und den Schiffen zusehen.\n\nDer zweite"))
        #expect(!document.text.contains("Start"))
        #expect(document.metadata["title"] == .string("Ein Artikel"))
        #expect(document.metadata["author"] == .string("Erika Mustermann"))
        #expect(document.metadata["html_lang"] == .string("de"))
        #expect(document.created == "2022-07-01T12:00:00Z")
    }

    @Test func keepsATitleAndDateTheInputAlreadyHad() {
        var document = Document(id: "page-0", text: page, created: "2020-01-01", metadata: ["title": "Given title"])
        document.format = .html
        _ = run(&document)
        #expect(document.metadata["title"] == .string("Given title"))
        #expect(document.created == "2020-01-01")
    }

    @Test func leavesTextDocumentsAlone() {
        var document = Document(id: "text-0", text: "<p>Not HTML as far as the pipeline knows.</p>")
        #expect(run(&document) == .keep)
        #expect(document.text == "<p>Not HTML as far as the pipeline knows.</p>")
        #expect(document.metadata.isEmpty)
    }

    @Test func isFirstInTheDefaultPipeline() {
        #expect(StageCatalog.defaultNames.first == "html_extract")
        #expect(StageCatalog.knownNames.contains("html_extract"))
    }
}
