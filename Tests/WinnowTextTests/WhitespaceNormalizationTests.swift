import Testing
import WinnowCore
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

    /// What the normalization does, written plainly on scalars: each scalar is a break, a space, removed
    /// or text; lines are split at breaks, their spaces collapsed and trimmed, and blank lines between
    /// two lines of text fold to one.
    static func reference(_ text: String) -> String {
        enum Kind { case text, space, newline, removed }
        func kind(_ value: UInt32) -> Kind {
            switch value {
            case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: .newline
            case 0x20, 0x09, 0x0B, 0x0C, 0xA0, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: .space
            case 0..<0x20, 0x7F...0x9F, 0xAD, 0x200B, 0x2060, 0xFEFF: .removed
            default: .text
            }
        }
        var lines: [String] = [""]
        var previous: UInt32 = 0
        for scalar in text.unicodeScalars {
            defer { previous = scalar.value }
            switch kind(scalar.value) {
            case .newline where scalar.value == 0x0A && previous == 0x0D: continue
            case .newline: lines.append("")
            case .space: lines[lines.count - 1] += " "
            case .removed: continue
            case .text: lines[lines.count - 1].unicodeScalars.append(scalar)
            }
        }
        // Split on scalars: a space and a joiner after it are one `Character`.
        let trimmed = lines.map { line in
            line.unicodeScalars.split(separator: " ").map { String(String.UnicodeScalarView($0)) }
                .joined(separator: " ")
        }
        var output: [String] = []
        var blank = false
        for line in trimmed {
            if line.isEmpty {
                blank = !output.isEmpty
            } else {
                if blank { output.append("") }
                output.append(line)
                blank = false
            }
        }
        return output.joined(separator: "\n")
    }

    @Test("random text of words, spaces, breaks and removed characters normalizes as the plain reference does")
    func matchesTheReferenceOnRandomText() {
        let pieces = [
            "a", "Bc", "word", ".", "é", "日本", "x", " ", " ", "  ", "\t", "\n", "\r\n", "\r", "\n\n",
            "\u{00A0}", "\u{2003}", "\u{200B}", "\u{2028}", "\u{0085}", "\u{07}", "\u{7F}", "\u{00AD}",
            "\u{200D}", "\u{FEFF}", "\u{3000}", "~", "!",
        ]
        var generator = SplitMix64(seed: 7)
        for _ in 0..<3_000 {
            let length = Int(generator.next() % 40)
            let text = (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let normalized = WhitespaceNormalization.normalize(text).text
            #expect(normalized == Self.reference(text), "input \(Array(text.unicodeScalars))")
        }
    }
}
