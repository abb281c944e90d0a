import Testing
import WinnowText

@Suite struct WhitespaceNormalizationTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("  leading and trailing  ", "leading and trailing"),
        ("tabs\tand   runs", "tabs and runs"),
        ("crlf\r\nline\rbreaks", "crlf\nline\nbreaks"),
        ("para one\n\n\n\n  \n\npara two", "para one\n\npara two"),
        ("\n\n\nstarts late\n\n\n", "starts late"),
        ("no\u{00A0}break and\u{2003}em space", "no break and em space"),
        ("zero\u{200B}width\u{FEFF} and soft\u{00AD}hyphen", "zerowidth and softhyphen"),
        ("bell\u{07}and\u{1B}escape", "bellandescape"),
        ("line\u{2028}separator\u{0085}next line", "line\nseparator\nnext line"),
        ("keeps\u{200D}zwj and \u{200C}zwnj", "keeps\u{200D}zwj and \u{200C}zwnj"),
        ("", ""),
        (" \n \t \n ", ""),
    ])
    func normalizes(input: String, expected: String) {
        #expect(WhitespaceNormalization.normalize(input).text == expected)
    }

    @Test func countsInputLines() {
        #expect(WhitespaceNormalization.normalize("a\nb\nc").linesIn == 3)
        #expect(WhitespaceNormalization.normalize("a\nb\n").linesIn == 2)
        #expect(WhitespaceNormalization.normalize("a\r\nb").linesIn == 2)
        #expect(WhitespaceNormalization.normalize("").linesIn == 0)
    }
}
