import Testing
import WinnowText

@Suite struct LanguageIdentifierTests {
    @Test(arguments: [
        ("The committee met on Tuesday to discuss the budget for the coming year, and the members agreed to it.", "en"),
        ("Der Ausschuss hat sich am Dienstag getroffen, um den Haushalt für das kommende Jahr zu besprechen.", "de"),
        ("Комитет собрался во вторник, чтобы обсудить бюджет на следующий год, и члены согласились с ним.", "ru"),
        ("委员会星期二开会讨论了明年的预算，委员们一致同意了这个方案。", "zh"),
    ])
    func identifies(text: String, code: String) {
        let guess = LanguageIdentifier.identify(text)
        #expect(guess.code == code)
        #expect(guess.score > 0.65)
    }

    @Test func unknownTextHasNoLanguage() {
        #expect(LanguageIdentifier.identify("12345 67890 !!!").code == "und")
        #expect(LanguageIdentifier.identify("") == LanguageIdentifier.Guess(code: "und", score: 0, reliable: false))
    }
}
