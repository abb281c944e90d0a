import Testing
import WinnowText

@Suite struct WordTokenizerTests {
    private static func texts(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return WordTokenizer.words(in: text).map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
    }

    @Test(arguments: [
        ("Hello, world!", ["Hello", "world"]),
        ("don't stop-gap 3.5 mph", ["don't", "stop", "gap", "3.5", "mph"]),
        ("Net 55,513,000 vs 1.2. End, 4,x", ["Net", "55,513,000", "vs", "1.2", "End", "4", "x"]),
        ("  spaced\tout\nlines  ", ["spaced", "out", "lines"]),
        ("Grüße aus Köln", ["Grüße", "aus", "Köln"]),
        ("Привет, мир — «новости»", ["Привет", "мир", "новости"]),
        ("l’homme", ["l’homme"]),
        ("café\u{0301} ok", ["café\u{0301}", "ok"]),
        ("東京都に行く", ["東", "京", "都", "に", "行", "く"]),
        ("한국어 문장입니다", ["한국어", "문장입니다"]),
        ("iPhone15を買った", ["iPhone15", "を", "買", "っ", "た"]),
        ("#tag @user ... …", ["tag", "user"]),
        ("", []),
    ])
    func splits(text: String, expected: [String]) {
        #expect(Self.texts(text) == expected)
    }

    @Test func countsCharactersAndLetters() {
        let words = WordTokenizer.words(in: "Grüße 2024 東")
        #expect(words.map(\.characters) == [5, 4, 1])
        #expect(words.map(\.hasLetter) == [true, false, true])
        #expect(words.map(\.isCharacter) == [false, false, true])
    }

    @Test func thaiMarksStayWithTheirCharacter() {
        // ก + mark (U+0E34) is one word; the next consonant is another.
        #expect(Self.texts("\u{0E01}\u{0E34}\u{0E19}") == ["\u{0E01}\u{0E34}", "\u{0E19}"])
    }
}
