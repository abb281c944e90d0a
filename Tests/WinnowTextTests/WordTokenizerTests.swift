import Testing
import WinnowCore
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

    /// The words of ASCII `bytes` as the rules say, one byte at a time: runs of letters and digits,
    /// an apostrophe between a word and a letter inside the word, a point or comma between two digits
    /// inside it.
    static func referenceWords(_ bytes: [UInt8]) -> [WordSpan] {
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        var words: [WordSpan] = []
        var current: WordSpan?
        for (index, byte) in bytes.enumerated() {
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            let joins =
                current != nil
                && ((byte == 0x27 && isLetter(next))
                    || ((byte == 0x2E || byte == 0x2C) && index > 0 && isDigit(bytes[index - 1]) && isDigit(next)))
            if isLetter(byte) || isDigit(byte) || joins {
                if current == nil {
                    current = WordSpan(start: index, end: index, characters: 0, hasLetter: false)
                }
                current!.end = index + 1
                current!.characters += 1
                current!.hasLetter = current!.hasLetter || isLetter(byte)
            } else if let word = current {
                words.append(word)
                current = nil
            }
        }
        if let word = current { words.append(word) }
        return words
    }

    @Test("random ASCII text splits into the words a byte-at-a-time reading gives")
    func matchesAByteAtATimeReading() {
        let pieces = [
            "a", "Zq", "word", "7", "42", " ", "  ", ".", ",", "'", "-", "\n", "3.5", "1,000", "don't", "'s", "x'",
        ]
        var generator = SplitMix64(seed: 11)
        for _ in 0..<3_000 {
            let length = Int(generator.next() % 30)
            let text = (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            #expect(WordTokenizer.words(in: text) == Self.referenceWords(Array(text.utf8)), "input \(text)")
        }
    }
}
