import Testing
import WinnowText

@Suite struct LineProfileTests {
    /// One row per kind of word: the words' hashes are those of the lowercased texts, whether the
    /// word is ASCII (lowercased byte by byte) or not (lowercased as a `String`).
    @Test(arguments: [
        ("Share this ARTICLE", ["share", "this", "article"]),
        ("Don't miss: Editor's picks!", ["don't", "miss", "editor's", "picks"]),
        ("“We waited,” one skipper said — 'really'", ["we", "waited", "one", "skipper", "said", "really"]),
        ("Item 3 of 7 [2/5]", ["item", "3", "of", "7", "2", "5"]),
        ("Grüße aus KÖLN, \u{130}stanbul", ["grüße", "aus", "köln", "i\u{307}stanbul"]),
        ("\u{C9}T\u{C9} CAF\u{C9}\u{301}S \u{212A}elvin", ["\u{E9}t\u{E9}", "caf\u{E9}\u{301}s", "kelvin"]),
        // Canonically equivalent spellings are one word, as equal `String`s are.
        ("nai\u{308}ve NA\u{CF}VE E\u{301}t\u{E9}", ["na\u{EF}ve", "na\u{EF}ve", "\u{E9}t\u{E9}"]),
        (
            "Read more at https://example.org/a and www.example.com @handle #tag",
            ["read", "more", "at", "and", "handle", "tag"]
        ),
        ("", []),
    ])
    func wordsAreLowercasedHashes(line: String, expected: [String]) {
        let words = LineProfile(Substring(line)).words
        #expect(words.map(\.hash) == expected.map { LineWord.hash(of: $0) })
        #expect(words.map(\.characters) == expected.map(\.count))
    }

    /// The stem is the word without a trailing "s" (as `hasSuffix("s")` reads it); the number is
    /// `Int(word)`.
    @Test(
        arguments: [
            ("Items", "item", nil),
            ("NEWS", "new", nil),
            ("caf\u{E9}s", "caf\u{E9}", nil),
            ("caf\u{00C9}S", "caf\u{00E9}", nil),
            ("cafe\u{301}s", "caf\u{E9}", nil),
            ("es\u{0301}", "es\u{0301}", nil),
            ("s", "", nil),
            ("2024", "2024", 2024),
            ("0042", "0042", 42),
            ("99999999999999999999", "99999999999999999999", nil),
            ("３", "３", nil),
            ("4x4", "4x4", nil),
        ] as [(String, String, Int?)])
    func stemsAndNumbers(word: String, stem: String, number: Int?) throws {
        let profiled = try #require(LineProfile(Substring(word)).words.first)
        #expect(profiled.stem == LineWord.hash(of: stem))
        #expect(profiled.number == number)
        #expect(profiled.number == Int(word.lowercased()))
    }

    @Test func shapeOfTheLine() {
        let profile = LineProfile("  How the harbour budget will change the ferry timetable 03:12")
        #expect(profile.endsWithDuration && !profile.endsSentence)
        #expect(profile.length == 62)
        #expect(LineProfile("Watch: 1:02:03").endsWithDuration)
        #expect(!LineProfile("Score 3:2").endsWithDuration && !LineProfile("At 123:45").endsWithDuration)
        #expect(LineProfile("“The channel comes first.”").endsSentence)
    }
}
