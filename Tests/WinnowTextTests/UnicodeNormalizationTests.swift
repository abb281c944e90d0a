import Testing
import WinnowText

@Suite struct UnicodeNormalizationTests {
    @Test func composesToNFC() {
        let decomposed = "Cafe\u{0301} na\u{0308}ive"
        let composed = UnicodeNormalization.nfc(decomposed)
        #expect(Array(composed.unicodeScalars) == Array("Caf\u{00E9} n\u{00E4}ive".unicodeScalars))
    }

    @Test func nfcKeepsCompatibilityCharacters() {
        // NFC must not fold ligatures or full-width forms: that is for hashing keys only.
        #expect(
            Array(UnicodeNormalization.nfc("\u{FB01}le \u{FF21}").unicodeScalars)
                == Array("\u{FB01}le \u{FF21}".unicodeScalars))
        #expect(
            Array(UnicodeNormalization.nfkc("\u{FB01}le \u{FF21}").unicodeScalars) == Array("file A".unicodeScalars))
    }

    @Test func asciiIsDetected() {
        #expect(UnicodeNormalization.isASCII("plain text 123"))
        #expect(!UnicodeNormalization.isASCII("caf\u{00E9}"))
    }
}
