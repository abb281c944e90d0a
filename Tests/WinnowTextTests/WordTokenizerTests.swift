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

@Suite struct TextSpanTests {
    private static func pieces(_ text: String, paragraphs: Bool) -> [String] {
        var copy = text
        return copy.withUTF8 { bytes in
            var spans: [TextSpan] = []
            if paragraphs {
                TextSpan.paragraphs(in: bytes, into: &spans)
            } else {
                TextSpan.lines(in: bytes, into: &spans)
            }
            return spans.map {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[$0.start..<$0.end]), as: UTF8.self)
            }
        }
    }

    @Test func splitsLinesAndParagraphs() {
        let text = "one\ntwo \n\n three\n\n\n\nfour\n"
        #expect(Self.pieces(text, paragraphs: false) == ["one", "two", "three", "four"])
        #expect(Self.pieces(text, paragraphs: true) == ["one\ntwo", "three", "four"])
        #expect(Self.pieces("", paragraphs: true).isEmpty)
    }
}

@Suite struct RepetitionTests {
    @Test func countsDuplicateSpansAndNGrams() {
        var text = "a b c\nx\na b c\nx\ny"
        text.withUTF8 { bytes in
            var repetition = Repetition()
            var lines: [TextSpan] = []
            TextSpan.lines(in: bytes, into: &lines)
            let repeats = repetition.duplicates(of: lines, in: bytes)
            #expect(repeats.count == 2)
            #expect(repeats.bytes == 6)
            repetition.prepare(words: WordTokenizer.words(in: bytes), in: bytes)
            // "a b" occurs twice: 3 bytes × 2.
            #expect(repetition.topNGramBytes(2) == 6)
            #expect(repetition.topNGramBytes(5) == 0)
            // The second "a b c x" repeats the first: its 4 words (4 bytes) count once.
            #expect(repetition.duplicateNGramBytes(4) == 4)
        }
    }

    @Test func countsSymbolsAndLineShapes() {
        var text = "# one...\n- two…\n• three.\nfour"
        text.withUTF8 { bytes in
            let symbols = QualitySignals.symbolCounts(bytes)
            #expect(symbols.hashes == 1)
            #expect(symbols.ellipses == 2)
            let shapes = QualitySignals.lineShapes(bytes, shortLength: 5)
            #expect(shapes.count == 4)
            #expect(shapes.bullets == 2)
            #expect(shapes.ellipses == 2)
            #expect(shapes.terminal == 3)
            #expect(shapes.short == 1)
        }
    }
}

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
    }
}
