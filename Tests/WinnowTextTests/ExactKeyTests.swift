import Foundation
import Testing
import WinnowCore

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
        var copy = text
        if copy.withUTF8(ExactKey.folding) == .none { #expect(full == text) }
    }

    /// The old test for converting the whole string: some scalar changes under NFKC_Casefold, or
    /// is a combining mark. The key's bytes must be what that conversion gives, however it is done.
    private static func convertsWhole(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            scalar.value >= 0x80
                && (scalar.properties.changesWhenNFKCCaseFolded
                    || scalar.properties.canonicalCombiningClass != .notReordered)
        }
    }

    @Test func scalarByScalarFoldingMatchesTheWholeStringConversion() {
        var scalarPaths = 0
        for text in CommonScalarsTests.randomTexts(seed: 42) {
            var copy = text
            let folding = copy.withUTF8(ExactKey.folding)
            if folding == .scalars { scalarPaths += 1 }
            let reference = ExactKey.normalizedBytes(text, folding: Self.convertsWhole(text) ? .whole : .none)
            #expect(ExactKey.normalizedBytes(text) == reference, "\(text.unicodeScalars.map { $0.value })")
        }
        #expect(scalarPaths > 1_000)
    }
}

@Suite struct CommonScalarsTests {
    /// Text mixing ASCII words with scalars of the common blocks, and now and then a combining mark,
    /// a Hangul jamo (which composes with a syllable before it) or a scalar from elsewhere (a
    /// compatibility character, a composing vowel sign, an emoji, an ideograph past Unicode 1.1).
    static func randomTexts(seed: UInt64, count: Int = 20_000) -> [String] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in randomText(&random) }
    }

    private static func randomText(_ random: inout SplitMix64) -> String {
        var scalars: [Unicode.Scalar] = []
        let elsewhere: [UInt32] = [
            0x6771, 0xD55C, 0x212A, 0x212B, 0xFB01, 0xFF21, 0x1F642, 0x0B47, 0x0B3E, 0x0130, 0x03A3, 0x9FD0, 0x11A8,
        ]
        for _ in 0..<Int.random(in: 1...12, using: &random) {
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<40:
                for _ in 0..<Int.random(in: 1...6, using: &random) {
                    let letter = UInt32.random(in: 0x61...0x7A, using: &random)
                    scalars.append(Unicode.Scalar(Bool.random(using: &random) ? letter : letter - 0x20)!)
                }
                scalars.append(" ")
            case 40..<75:
                scalars.append(Unicode.Scalar(UInt32.random(in: 0x80..<0x800, using: &random))!)
            case 75..<82:
                scalars.append(Unicode.Scalar(UInt32.random(in: 0x2000..<0x2070, using: &random))!)
            case 82..<90:
                let blocks: [Range<UInt32>] = [
                    0x3000..<0x3100, 0xFF00..<0xFFF0, 0x4E00..<0x9FA6, 0xAC00..<0xD7A4, 0x1100..<0x1200,
                ]
                let block = blocks.randomElement(using: &random)!
                scalars.append(Unicode.Scalar(UInt32.random(in: block, using: &random))!)
            case 90..<95:
                scalars.append(Unicode.Scalar(UInt32.random(in: 0x300..<0x370, using: &random))!)
            default:
                scalars.append(Unicode.Scalar(elsewhere.randomElement(using: &random)!)!)
            }
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }

    @Test func theLettersWrittenWithoutWorkingOutAreWhatFoundationSays() {
        let table = CommonScalars.shared
        var wrong: [UInt32] = []
        for value in CommonScalars.letterBlocks.joined() {
            let scalar = Unicode.Scalar(value)!
            if table.facts(at: CommonScalars.slot(value)!) != CommonScalars.computedFacts(of: scalar) {
                wrong.append(value)
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(20))")
        #expect(CommonScalars.letterBlocks.joined().count == 32_074)
    }

    @Test func textTheTableCallsComposedIsNFC() {
        var composed = 0
        for text in Self.randomTexts(seed: 7) {
            var copy = text
            guard copy.withUTF8(CommonScalars.shared.isComposed) else { continue }
            composed += 1
            #expect(text.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(text.unicodeScalars))
            #expect(UnicodeNormalization.nfc(text).unicodeScalars.elementsEqual(text.unicodeScalars))
        }
        #expect(composed > 1_000)
    }

    @Test func wordsReadFromTheTableAreTheWordsReadAsStrings() {
        var fromTable = 0
        for var word in Self.randomTexts(seed: 11) {
            word.unicodeScalars.removeAll { $0 == " " }
            guard !word.isEmpty else { continue }
            let scalars = word.unicodeScalars.map(\.value)
            word.withUTF8 { bytes in
                let reference = LineWord.lowercasedByString(bytes)
                guard let table = LineWord.lowercasedByTable(bytes) else { return }
                fromTable += 1
                #expect(table == reference, "\(scalars)")
            }
        }
        #expect(fromTable > 1_000)
    }

    @Test func lowercasingByTableMatchesTheStandardLibrary() {
        for text in Self.randomTexts(seed: 9) {
            var copy = text
            var bytes: [UInt8] = []
            copy.withUTF8 { UnicodeNormalization.appendLowercased($0, to: &bytes) }
            #expect(bytes == Array(text.lowercased().utf8))
        }
    }
}
