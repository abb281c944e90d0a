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
}
