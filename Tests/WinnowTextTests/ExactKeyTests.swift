import Testing

@testable import WinnowText

@Suite struct ExactKeyTests {
    private func normalized(_ text: String) -> String {
        String(decoding: ExactKey.normalizedBytes(text), as: UTF8.self)
    }

    @Test(arguments: [
        ("Hello, World!", "hello world"),
        ("  Spaces\tand\n\nlines  ", "spaces and lines"),
        ("Revenue rose 5.2% to $1,234", "revenue rose 0 0 to 0 000"),
        ("«Quotes» — and “curly” ones…", "quotes and curly ones"),
        ("ÉCOLE Über", "école über"),
        ("\u{FB01}ne \u{FF21}\u{FF22}", "fine ab"),
        ("Arabic digits \u{0661}\u{0662}", "arabic digits 00"),
        ("Привет, мир!", "привет мир"),
        ("東京、大阪。", "東京 大阪"),
        ("emoji 🙂 between", "emoji between"),
        ("", ""),
    ])
    func normalizes(input: String, expected: String) {
        #expect(normalized(input) == expected)
    }

    @Test func equalKeysForCosmeticDifferences() {
        let original = "The index closed at 4,512 points on Monday.\n\nAnalysts expect more."
        let variants = [
            "the index closed at 4,512 points on monday. analysts expect more.",
            "The  index closed at 4.512 points on Monday —\nAnalysts expect more!",
            "THE INDEX CLOSED AT 9,999 POINTS ON MONDAY. ANALYSTS EXPECT MORE.",
        ]
        for variant in variants { #expect(ExactKey.key(for: variant) == ExactKey.key(for: original)) }
    }

    @Test func differentKeysForDifferentWords() {
        #expect(ExactKey.key(for: "The index closed higher") != ExactKey.key(for: "The index closed lower"))
        #expect(ExactKey.key(for: "ab cd") != ExactKey.key(for: "abcd"))
    }

    @Test func keyIsStableAcrossVersions() {
        // The key is persisted: this value must only change together with `ExactKey.version`.
        #expect(ExactKey.version == 1)
        #expect(ExactKey.key(for: "Hello, World!") == XXH3.hash128(Array("hello world".utf8)))
    }
}

@Suite struct ExactKeyFoldingTests {
    /// The fast path (no NFKC, no lowercasing) must give exactly what the slow path gives.
    @Test(arguments: [
        "plain ascii", "curly “quotes” and £5 — dashes", "e\u{301}cole", "École", "\u{FB01}", "Ａ", "ß straße",
        "Привет", "привет", "東京", "\u{212B}ngstr\u{F6}m", "한국어",
    ])
    func fastPathMatchesFullFolding(text: String) {
        let full = UnicodeNormalization.nfkc(text).lowercased()
        #expect(ExactKey.normalizedBytes(text) == ExactKey.normalizedBytes(full))
        if !ExactKey.needsFolding(text) { #expect(full == text) }
    }
}
