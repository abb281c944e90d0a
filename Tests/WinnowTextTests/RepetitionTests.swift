import Testing
import WinnowText

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
