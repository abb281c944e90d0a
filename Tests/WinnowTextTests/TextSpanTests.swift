import Testing
import WinnowText

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

    /// Lines and paragraphs as their definitions state them, on lists of lines: a line is what lies
    /// between newlines; a paragraph ends where the next line holds nothing but spaces and tabs and
    /// is not the text's last; every piece is trimmed of spaces, tabs, CR and LF, and empty ones left
    /// out.
    @Test func agreeWithTheDefinitionOnGeneratedTexts() {
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        let pieces = ["a", "word", " ", "\t", "\n", "\n", "\r", "é"]
        for _ in 0..<500 {
            let text = (0..<next(30)).map { _ in pieces[next(pieces.count)] }.joined()
            // On bytes: "\r\n" is one Character, and a split on Characters would not see its "\n".
            let lines = Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            let trim: ([UInt8]) -> String = { piece in
                let kept = piece.drop { [0x20, 0x09, 0x0D, 0x0A].contains($0) }
                let end = kept.lastIndex { ![0x20, 0x09, 0x0D, 0x0A].contains($0) }.map { $0 + 1 } ?? kept.startIndex
                return String(decoding: kept[..<end], as: UTF8.self)
            }
            var paragraphs: [[[UInt8]]] = [[lines[0]]]
            for index in lines.indices.dropFirst() {
                let blank = lines[index].allSatisfy { $0 == 0x20 || $0 == 0x09 }
                if blank && index < lines.count - 1 {
                    paragraphs.append([lines[index]])
                } else {
                    paragraphs[paragraphs.count - 1].append(lines[index])
                }
            }
            #expect(Self.pieces(text, paragraphs: false) == lines.map(trim).filter { !$0.isEmpty })
            #expect(
                Self.pieces(text, paragraphs: true)
                    == paragraphs.map { trim(Array($0.joined(separator: [0x0A]))) }.filter { !$0.isEmpty })
        }
    }
}
